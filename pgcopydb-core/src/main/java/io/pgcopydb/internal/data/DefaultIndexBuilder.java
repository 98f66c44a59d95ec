package io.pgcopydb.internal.data;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.stage.StageContext;
import java.sql.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the source's {@code pg_get_indexdef()} on the target, on a connection of its own. */
public final class DefaultIndexBuilder implements IndexBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultIndexBuilder.class);

    @Override
    public String build(IndexDefinition index, StageContext context) throws Exception {
        String sql = index.definition();
        try (Connection target = context.openTarget()) {
            LOG.debug("{};", sql);
            Sessions.execute(target, sql);
        }
        return sql;
    }
}
