package io.pgcopydb.internal;

import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Restores the archive's pre-data and post-data sections with {@code pg_restore --use-list}, the list written
 * to the work directory so a person can see exactly what was restored.
 */
final class SchemaRestorer {
    private final RunContext context;
    private final Path archive;

    SchemaRestorer(RunContext context, Path archive) {
        this.context = context;
        this.archive = archive;
    }

    /**
     * Pre-data, minus schemas that already exist on the target (emulating CREATE SCHEMA IF NOT EXISTS) — except
     * {@code public}: pg_dump never writes {@code CREATE SCHEMA public}, its entry only carries the owner, ACL and
     * comment, and skipping it would leave the target's {@code public} with the wrong owner (pgcopydb's bug).
     */
    void restorePreData() throws Exception {
        Set<String> existing = existingTargetSchemas();
        List<String> list = toc().stream()
                .map(line -> skipPreData(line, existing) ? ";" + line : line)
                .toList();
        restore("pre-data", list);
    }

    /** Post-data, filtered by the {@link PostDataFilter} stage. */
    void restorePostData(PostDataFilter filter, PostDataFilter.Built built) throws Exception {
        restore("post-data", filter.filter(toc(), built));
    }

    private static boolean skipPreData(String line, Set<String> existingSchemas) {
        return TocLine.parse(line).map(e -> e.is("DATABASE")
                || (e.is("SCHEMA") && !schemaName(e).equals("public") && existingSchemas.contains(schemaName(e))))
                .orElse(false);
    }

    /** {@code SCHEMA - name owner}: the name (which may hold spaces) sits between the dash and the owner. */
    static String schemaName(TocLine e) {
        String tag = e.rest().substring("SCHEMA - ".length());
        int lastSpace = tag.lastIndexOf(' ');
        return lastSpace < 0 ? tag : tag.substring(0, lastSpace);
    }

    private List<String> toc() throws Exception {
        ToolResult r = context.runClientTool("pg_restore", List.of("--list", archive.toString()), false,
                "pg_restore-list.log");
        if (!r.succeeded()) {
            throw new IllegalStateException("pg_restore --list failed: " + ToolRunner.tail(r.output(), 5));
        }
        return r.output().lines().toList();
    }

    private void restore(String section, List<String> list) throws Exception {
        Path listFile = context.workDirectory().resolve(section + ".list");
        Files.write(listFile, list, StandardCharsets.UTF_8);
        ToolResult r = context.runClientTool("pg_restore", List.of(
                "--section=" + section, "--jobs=" + context.options().restoreJobs(), "--exit-on-error",
                "--no-password", "--use-list=" + listFile, "--dbname=" + context.databaseArgument(false),
                archive.toString()), false, "pg_restore-" + section + ".log");
        if (!r.succeeded()) {
            throw new IllegalStateException("pg_restore --section=" + section + " failed (exit " + r.exitCode()
                    + "): " + ToolRunner.tail(r.output(), 5));
        }
    }

    private Set<String> existingTargetSchemas() throws Exception {
        Set<String> names = new HashSet<>();
        try (Connection c = context.openTarget(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT nspname FROM pg_catalog.pg_namespace")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
