package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.ToolRunner;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.Side;
import io.pgcopydb.stage.ToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * pg_restore in script mode ({@code --file}): the SQL a restore of a list would send, without a database. The
 * lists and scripts are written to the work directory, next to the restore's own lists, so a person can see them.
 */
final class RestoreScript {
    private final RunContext context;
    private final Path archive;

    RestoreScript(RunContext context, Path archive) {
        this.context = context;
        this.archive = archive;
    }

    /** The SQL of the single entry {@code dumpId} of {@code list}, with the copy's owner, ACL and comment options. */
    String entry(List<String> list, int dumpId) throws Exception {
        return script("pre-data-entry-" + dumpId, PreDataReplacements.only(list, Set.of(dumpId)), false);
    }

    /**
     * The statements {@code --clean --if-exists} would run before restoring {@code list} (pg_restore's session
     * settings, then a DROP of every entry, last entry first), as one pg_restore run of the whole list does them.
     * Found as the lines the script with {@code --clean} has and the one without it does not.
     *
     * @throws IllegalStateException when the two scripts do not differ by one block of lines
     */
    List<String> drops(List<String> list) throws Exception {
        List<String> clean = sqlLines(script("pre-data-clean", list, true));
        List<String> plain = sqlLines(script("pre-data-plain", list, false));
        int prefix = 0;
        while (prefix < plain.size() && prefix < clean.size() && clean.get(prefix).equals(plain.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < plain.size() - prefix && suffix < clean.size() - prefix
                && clean.get(clean.size() - 1 - suffix).equals(plain.get(plain.size() - 1 - suffix))) {
            suffix++;
        }
        if (prefix + suffix != plain.size()) {
            throw new IllegalStateException("cannot tell pg_restore --clean's DROP statements apart: the scripts "
                    + "differ in more than one place (see pre-data-clean.sql and pre-data-plain.sql in "
                    + context.workDirectory() + ")");
        }
        return SqlScript.statements(String.join("\n", clean.subList(0, clean.size() - suffix)) + "\n");
    }

    private String script(String name, List<String> list, boolean clean) throws Exception {
        Path listFile = context.workDirectory().resolve(name + ".list");
        Path sqlFile = context.workDirectory().resolve(name + ".sql");
        Files.write(listFile, list, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--section=pre-data"));
        args.addAll(SchemaRestorer.options(context.options(), clean));
        args.addAll(List.of("--use-list=" + listFile, "--file=" + sqlFile, archive.toString()));
        ToolResult r = context.runClientTool("pg_restore", args, Side.TARGET, "pg_restore-" + name + ".log");
        if (!r.succeeded()) {
            throw new IllegalStateException("pg_restore --file failed (exit " + r.exitCode() + "): "
                    + ToolRunner.tail(r.output(), 5));
        }
        return Files.readString(sqlFile, StandardCharsets.UTF_8);
    }

    /** The script's lines without psql's restrict and unrestrict meta-commands, whose key differs per run. */
    private static List<String> sqlLines(String script) {
        return script.lines().filter(l -> !l.startsWith("\\restrict ") && !l.startsWith("\\unrestrict ")).toList();
    }
}
