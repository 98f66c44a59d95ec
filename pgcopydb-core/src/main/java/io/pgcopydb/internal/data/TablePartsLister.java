package io.pgcopydb.internal.data;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.catalog.CatalogReader;
import io.pgcopydb.internal.filter.SourceLister;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.Side;
import io.pgcopydb.model.SourceCatalog;
import io.pgcopydb.model.SourceTable;
import io.pgcopydb.model.SplitSettings;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.ToolResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code list table-parts}: how the standard planner ({@link DefaultTablePlanner}) cuts one table with given split
 * settings, read as a copy reads it (the catalog's size, the integer key's bounds or the heap's pages), so that
 * the listing is what a copy with the same settings would do now.
 */
public final class TablePartsLister {
    private TablePartsLister() {
    }

    /**
     * The parts of {@code table}.
     *
     * @throws IllegalArgumentException when the source has no such table to copy
     */
    public static List<TablePart> parts(ConnectionSpec source, QualifiedName table, SplitSettings split) {
        SourceTable found = SourceLister.read(source, c -> CatalogReader.read(c).tables().stream()
                .filter(t -> t.name().equals(table)).findFirst()).orElseThrow(() -> new IllegalArgumentException(
                        "the source has no table " + table + " to copy: give one that 'list tables' shows"));
        SourceCatalog one = new SourceCatalog(List.of(found), List.of(), List.of(), 0, List.of(), List.of());
        return SourceLister.read(source, c -> new DefaultTablePlanner().plan(one, new Context(source, split)).parts());
    }

    /** The planner's view: the split settings and source sessions; nothing else is asked of it. */
    private record Context(ConnectionSpec source, SplitSettings split) implements StageContext {
        @Override
        public Optional<String> snapshotId() {
            return Optional.empty();
        }

        @Override
        public Path workDirectory() {
            throw new UnsupportedOperationException("listing has no work directory");
        }

        @Override
        public long splitTablesLargerThan() {
            return split.largerThan();
        }

        @Override
        public int splitMaxParts() {
            return split.maxParts();
        }

        @Override
        public boolean splitByCtid() {
            return split.byCtid();
        }

        @Override
        public Connection openSource() throws SQLException {
            return Sessions.openSource(source, Optional.empty());
        }

        @Override
        public Connection openTarget() {
            throw new UnsupportedOperationException("listing reads the source only");
        }

        @Override
        public Path clientTool(String name) {
            throw new UnsupportedOperationException("listing runs no client tool");
        }

        @Override
        public Map<String, String> clientEnvironment(Side side) {
            throw new UnsupportedOperationException("listing runs no client tool");
        }

        @Override
        public ToolResult runClientTool(String tool, List<String> arguments, Side side, String logName) {
            throw new UnsupportedOperationException("listing runs no client tool");
        }

        @Override
        public String databaseArgument(Side side) {
            throw new UnsupportedOperationException("listing runs no client tool");
        }

        @Override
        public boolean isStopping() {
            return false;
        }
    }
}
