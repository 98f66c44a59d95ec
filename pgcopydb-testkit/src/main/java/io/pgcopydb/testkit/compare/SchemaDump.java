package io.pgcopydb.testkit.compare;

import io.pgcopydb.testkit.server.Commands;
import io.pgcopydb.testkit.server.PostgresBinaries;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import io.pgcopydb.testkit.server.TestkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A database's {@code pg_dump --schema-only}, reduced to the lines that describe objects, and a line diff of
 * two such dumps.
 */
final class SchemaDump {
    /** Differing lines reported by {@link #differences}; the header line says how many there are in all. */
    static final int MAX_DIFF_LINES = 20;

    /** Beyond this many cells the LCS table would cost more memory than a test helper should take. */
    private static final long MAX_LCS_CELLS = 4_000_000L;

    private static final Pattern NAME_COMMENT =
            Pattern.compile("^-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: .*$");

    private final List<Line> lines;

    /** One significant line and the object whose section it is in, from the preceding {@code -- Name:} comment. */
    record Line(String text, String object) {
    }

    private SchemaDump(List<Line> lines) {
        this.lines = lines;
    }

    /** Number of significant lines. */
    int size() {
        return lines.size();
    }

    List<Line> lines() {
        return lines;
    }

    /**
     * Dumps {@code database} with {@code pgDump}, leaving out {@code excludedSchemas} (exact names).
     *
     * @throws TestkitException when pg_dump fails; the message carries its error output
     */
    static SchemaDump of(TestDatabase database, Path pgDump, Collection<String> excludedSchemas) {
        Path file = null;
        try {
            file = Files.createTempFile("pgcopydb-compare-", ".sql");
            List<String> command = new ArrayList<>(List.of(pgDump.toString(), "--schema-only", "--no-password",
                    "--file=" + file));
            // A double-quoted pattern matches the name literally, dots, stars and all.
            excludedSchemas.forEach(s -> command.add("--exclude-schema=" + Sql.quoteIdent(s)));
            Commands.runOrThrow(command, environment(database), "pg_dump --schema-only of " + database.name());
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), database.name());
        } catch (IOException e) {
            throw new TestkitException("could not read the schema dump of " + database.name() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    /** Connection settings go through the environment so the password never shows in a process listing. */
    private static Map<String, String> environment(TestDatabase database) {
        PostgresServer server = database.server();
        Map<String, String> env = new HashMap<>(server.clientEnvironment());
        env.put("PGHOST", server.host());
        env.put("PGPORT", Integer.toString(server.port()));
        env.put("PGUSER", server.user());
        env.put("PGDATABASE", database.name());
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "pgcopydb-testkit-compare");
        return env;
    }

    /**
     * Keeps the lines that describe objects. Comments and blank lines carry no schema; {@code \restrict} and
     * <code>&#92;unrestrict</code> (pg_dump 15.14+, 16.10+, 17.6+) carry a random key that differs on every run.
     */
    static SchemaDump parse(List<String> raw, String databaseName) {
        List<Line> kept = new ArrayList<>();
        String object = "";
        for (String line : raw) {
            Matcher name = NAME_COMMENT.matcher(line);
            if (name.matches()) {
                object = name.group(2) + " " + ("-".equals(name.group(3)) ? "" : name.group(3) + ".") + name.group(1);
            }
            if (line.isBlank() || line.startsWith("--") || line.startsWith("\\restrict ")
                    || line.startsWith("\\unrestrict ")) {
                continue;
            }
            kept.add(new Line(withoutDatabaseName(line, databaseName), object));
        }
        return new SchemaDump(List.copyOf(kept));
    }

    /**
     * Source and target have different database names. Without {@code --create} pg_dump leaves out every
     * statement about the database itself (CREATE/ALTER/COMMENT ON/GRANT … DATABASE, {@code \connect}), so
     * this only guards against a pg_dump that starts printing them; object names equal to the database name
     * are left alone.
     */
    private static String withoutDatabaseName(String line, String databaseName) {
        if (line.startsWith("\\connect ")) {
            return "\\connect <database>";
        }
        String result = line;
        for (String form : List.of(Sql.quoteIdent(databaseName), databaseName)) {
            result = result.replaceAll("DATABASE " + Pattern.quote(form) + "(?![\\p{L}\\p{N}_$\"])",
                    Matcher.quoteReplacement("DATABASE <database>"));
        }
        return result;
    }

    /**
     * The differences between the {@code source} and {@code target} dumps as report lines: a header with the
     * totals, then up to {@link #MAX_DIFF_LINES} lines {@code schema: - <source line>} / {@code schema: + <target
     * line>} in dump order. Empty when the dumps are equal.
     */
    static List<String> differences(SchemaDump source, SchemaDump target) {
        List<Edit> edits = diff(source.lines, target.lines);
        if (edits.isEmpty()) {
            return List.of();
        }
        long removed = edits.stream().filter(e -> e.removed).count();
        long added = edits.size() - removed;
        List<String> report = new ArrayList<>();
        report.add("schema: pg_dump --schema-only differs: " + removed + " line(s) only on source, " + added
                + " only on target" + (edits.size() > MAX_DIFF_LINES ? " (first " + MAX_DIFF_LINES + " shown)" : ""));
        for (Edit e : edits.subList(0, Math.min(MAX_DIFF_LINES, edits.size()))) {
            String where = e.line.object().isEmpty() ? "" : "   [" + e.line.object() + "]";
            report.add("schema: " + (e.removed ? "- " : "+ ") + e.line.text() + where);
        }
        return report;
    }

    /** One line present on only one side: {@code removed} means only on the source. */
    private record Edit(boolean removed, Line line) {
    }

    /**
     * A minimal line diff: common head and tail are skipped, the middle is aligned by longest common
     * subsequence. When the middle is too large for that, lines are matched as multisets instead, which still
     * names every added or removed line but not lines that merely moved.
     */
    private static List<Edit> diff(List<Line> a, List<Line> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && same(a.get(head), b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && same(a.get(a.size() - 1 - tail), b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<Line> x = a.subList(head, a.size() - tail);
        List<Line> y = b.subList(head, b.size() - tail);
        if ((long) x.size() * y.size() <= MAX_LCS_CELLS) {
            return lcsDiff(x, y);
        }
        List<Edit> edits = multisetDiff(x, y);
        if (edits.isEmpty()) {
            // Same lines, different order: show where the order first departs.
            edits = List.of(new Edit(true, x.get(0)), new Edit(false, y.get(0)));
        }
        return edits;
    }

    private static List<Edit> lcsDiff(List<Line> x, List<Line> y) {
        int n = x.size();
        int m = y.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = same(x.get(i), y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(x.get(i), y.get(j))) {
                i++;
                j++;
            } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                edits.add(new Edit(true, x.get(i++)));
            } else {
                edits.add(new Edit(false, y.get(j++)));
            }
        }
        return edits;
    }

    private static List<Edit> multisetDiff(List<Line> x, List<Line> y) {
        Map<String, Integer> balance = new HashMap<>();
        x.forEach(l -> balance.merge(l.text(), 1, Integer::sum));
        y.forEach(l -> balance.merge(l.text(), -1, Integer::sum));
        List<Edit> edits = new ArrayList<>();
        Map<String, Integer> surplus = new HashMap<>(balance);
        for (Line l : x) {
            if (surplus.getOrDefault(l.text(), 0) > 0) {
                surplus.merge(l.text(), -1, Integer::sum);
                edits.add(new Edit(true, l));
            }
        }
        for (Line l : y) {
            if (surplus.getOrDefault(l.text(), 0) < 0) {
                surplus.merge(l.text(), 1, Integer::sum);
                edits.add(new Edit(false, l));
            }
        }
        return edits;
    }

    private static boolean same(Line a, Line b) {
        return a.text().equals(b.text());
    }

    /**
     * The pg_dump to run against both servers. One binary dumps both sides because pg_dump's output varies
     * between versions; when the servers bring different ones the newer wins, as pg_dump refuses servers newer
     * than itself. Then PATH, then the newest {@code /usr/lib/postgresql/<major>/bin}.
     *
     * @throws TestkitException when no pg_dump is found
     */
    static Path locatePgDump(PostgresServer source, PostgresServer target) {
        List<Path> fromServers = Stream.of(source, target)
                .map(s -> s.binDirectory().map(d -> d.resolve("pg_dump")).filter(Files::isExecutable))
                .flatMap(Optional::stream).distinct().toList();
        if (fromServers.size() == 2) {
            return majorVersion(fromServers.get(0)) >= majorVersion(fromServers.get(1))
                    ? fromServers.get(0) : fromServers.get(1);
        }
        return fromServers.stream().findFirst()
                .or(SchemaDump::onPath)
                .or(() -> PostgresBinaries.find(System.getenv(), x -> Optional.empty())
                        .map(b -> b.tool("pg_dump")).filter(Files::isExecutable))
                .orElseThrow(() -> new TestkitException("pg_dump not found in the servers' bin directories, on PATH "
                        + "nor in /usr/lib/postgresql/*/bin: install the PostgreSQL client"));
    }

    private static int majorVersion(Path pgDump) {
        Commands.Result r = Commands.run(List.of(pgDump.toString(), "--version"), Map.of());
        Matcher m = Pattern.compile("\\) (\\d+)").matcher(r.output());
        return r.ok() && m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Optional<Path> onPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "pg_dump"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is not worth failing a comparison for
            }
        }
    }
}
