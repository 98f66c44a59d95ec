package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.stage.ConstraintAttacher;
import io.pgcopydb.stage.StageContext;
import java.sql.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ALTER TABLE ONLY t ADD CONSTRAINT c PRIMARY KEY | UNIQUE USING INDEX c}, which turns the index built in
 * parallel into the constraint without scanning the table again; EXCLUDE constraints are added with their
 * definition.
 */
public final class DefaultConstraintAttacher implements ConstraintAttacher {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultConstraintAttacher.class);

    @Override
    public String attach(ConstraintDefinition constraint, StageContext context) throws Exception {
        String sql = sql(constraint);
        try (Connection target = context.openTarget()) {
            LOG.debug("{};", sql);
            Sessions.execute(target, sql);
        }
        return sql;
    }

    static String sql(ConstraintDefinition c) {
        String prefix = "ALTER TABLE ONLY " + c.table().quoted() + " ADD CONSTRAINT "
                + QualifiedName.quoteIdent(c.name()) + " ";
        if (!c.usesPrebuiltIndex()) {
            return prefix + c.definition();
        }
        StringBuilder sql = new StringBuilder(prefix)
                .append(c.kind() == ConstraintDefinition.Kind.PRIMARY_KEY ? "PRIMARY KEY" : "UNIQUE")
                .append(" USING INDEX ").append(QualifiedName.quoteIdent(c.name()));
        if (c.deferrable()) {
            sql.append(" DEFERRABLE");
        }
        if (c.initiallyDeferred()) {
            sql.append(" INITIALLY DEFERRED");
        }
        return sql.toString();
    }
}
