package io.pgcopydb.internal.catalog;

import io.pgcopydb.internal.filter.FilterPlan;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.SourceCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the source transaction whose snapshot every reader imports, and reads the catalog inside it (pgcopydb
 * reads it outside, so its table list and sequence values can disagree with the data it copies). The
 * connection stays open, idle in transaction, until {@link #release()}.
 */
public final class SnapshotHolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotHolder.class);

    private final Connection connection;
    private final SourceCatalog catalog;
    private final Optional<FilterPlan> filter;

    private SnapshotHolder(Connection connection, SourceCatalog fullCatalog, Optional<FilterPlan> filter) {
        this.connection = connection;
        this.filter = filter;
        this.catalog = filter.map(f -> f.restrict(fullCatalog)).orElse(fullCatalog);
    }

    public static SnapshotHolder open(RunContext context) throws SQLException {
        Optional<String> given = context.options().snapshot();
        given.ifPresent(context::snapshotId);
        // With a caller's snapshot, this session imports it like every worker (openSource does, once it is set).
        Connection c = context.openSource();
        try {
            if (given.isPresent()) {
                LOG.info("Using the snapshot \"{}\" held by the caller", given.get());
            } else if (context.options().consistent()) {
                String id;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    id = rs.getString(1);
                }
                context.snapshotId(id);
                LOG.info("Exported snapshot \"{}\" from the source database", id);
            }
            SourceCatalog catalog = CatalogReader.read(c);
            // Inside the snapshot, before anything is written: a filter that cannot be applied stops here.
            Optional<FilterPlan> filter = context.options().filters().isEmpty() ? Optional.empty()
                    : Optional.of(FilterPlan.resolve(c, context.options().filters(),
                            context.options().foreignKeysNotValid()));
            filter.ifPresent(context::filterPlan);
            filter.ifPresent(f -> f.selection().warnings().forEach(w -> context.warn("filter: " + w.message())));
            return new SnapshotHolder(c, catalog, filter);
        } catch (SQLException | RuntimeException e) {
            Sessions.closeQuietly(c, e);
            throw e;
        }
    }

    /** What to copy: the source catalog restricted by the filter, if any. */
    public SourceCatalog catalog() {
        return catalog;
    }

    /** The resolved filter; empty when the copy has none. */
    Optional<FilterPlan> filter() {
        return filter;
    }

    /** Ends the snapshot transaction; readers that imported it keep their own copy. */
    public void release() {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("releasing the snapshot: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        release();
    }
}
