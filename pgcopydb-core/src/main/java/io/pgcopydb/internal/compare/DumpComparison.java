package io.pgcopydb.internal.compare;

import io.pgcopydb.compare.Difference;
import io.pgcopydb.compare.Ignore;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.postgres.PgTools;
import io.pgcopydb.internal.postgres.ToolRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The safety net behind the catalog comparison: {@code pg_dump --schema-only} of both sides, reduced to the lines
 * that describe objects, compared line by line. It runs only where it is meaningful — both servers of the same
 * major version (pg_dump's text changes between versions), no filter (pg_dump would dump what the filter left out),
 * and nothing ignored that pg_dump cannot leave out (owners, privileges and comments it can: {@code --no-owner},
 * {@code --no-privileges}, {@code --no-comments}) — and its differences are reported only when the catalogs showed
 * none: it catches an object kind the catalog comparison does not read, never repeats what it found. The source is
 * dumped in the request's snapshot when it has one ({@code --snapshot}).
 */
final class DumpComparison {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DumpComparison.class);
    /** What pg_dump has no option to leave out: with any of these ignored, the dumps are not compared. */
    private static final Set<Ignore> NOT_DUMPABLE = EnumSet.of(Ignore.EXTENSION_COMMENTS, Ignore.EXTENSIONS,
            Ignore.COLLATIONS, Ignore.LARGE_OBJECTS);
    /** Differing lines reported; the first {@code Difference} says how many there are in all. */
    static final int MAX_LINES = 20;
    /** Beyond this many cells the longest-common-subsequence table would cost too much memory. */
    private static final long MAX_LCS_CELLS = 4_000_000L;
    private static final Pattern NAME_COMMENT =
            Pattern.compile("^-- (?:Data for )?Name: (.*); Type: (.*); Schema: (.*); Owner: .*$");

    private DumpComparison() {
    }

    /** One significant line and the object whose section it is in (from the preceding {@code -- Name:} line). */
    record Line(String text, String object) {
    }

    /**
     * The schema differences pg_dump shows between the two sides of {@code request}, when the comparison applies
     * (same major version on both, a pg_dump for it found); empty when it does not, or when the dumps agree.
     */
    static List<Difference> differences(CompareRequest request, int sourceMajor, int targetMajor) throws Exception {
        if (sourceMajor != targetMajor || !request.filters().isEmpty()
                || !Collections.disjoint(request.ignored(), NOT_DUMPABLE)) {
            return List.of();
        }
        Path pgDump;
        try {
            PgTools tools = PgTools.locate(sourceMajor, request.clientTools(), System.getenv());
            LOG.info("compare: {}", tools.describe());
            pgDump = tools.tool("pg_dump");
        } catch (PgTools.Unavailable e) {
            // No client tools: the catalog comparison stands alone; tools the caller named are worth a warning.
            if (request.clientTools().isPresent()) {
                LOG.warn("compare: the pg_dump comparison is skipped: {}", e.getMessage());
            }
            return List.of();
        }
        List<String> options = new ArrayList<>(List.of("--schema-only", "--no-password"));
        request.ignored().forEach(i -> {
            switch (i) {
                case OWNERS -> options.add("--no-owner");
                case ACLS -> options.add("--no-privileges");
                case COMMENTS -> options.add("--no-comments");
                default -> { }
            }
        });
        List<String> sourceOptions = new ArrayList<>(options);
        request.sourceSnapshot().ifPresent(id -> sourceOptions.add("--snapshot=" + id));
        List<Line> source = dump(pgDump, sourceOptions, request.source());
        List<Line> target = dump(pgDump, options, request.target());
        return report(diff(source, target));
    }

    private static List<Line> dump(Path pgDump, List<String> options, ConnectionSpec spec)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("pgcopydb-compare-", ".sql");
        Path log = Files.createTempFile("pgcopydb-compare-", ".log");
        try {
            Map<String, String> env = new HashMap<>(spec.clientEnvironment());
            env.putIfAbsent("PGAPPNAME", "pgcopydb compare");
            List<String> command = new ArrayList<>();
            command.add(pgDump.toString());
            command.addAll(options);
            command.add("--file=" + file);
            ToolRunner.Outcome o = new ToolRunner().run(command, env, log);
            if (o.exitCode() != 0) {
                throw new IllegalStateException("pg_dump --schema-only of " + spec.toUri() + " failed: "
                        + ToolRunner.tail(o.output(), 5));
            }
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), spec.database());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(log);
        }
    }

    /**
     * The lines that describe objects: comments and blank lines carry no schema; {@code \restrict} and
     * <code>&#92;unrestrict</code> (pg_dump 15.14+, 16.10+, 17.6+) carry a random key; {@code \connect} and
     * {@code … DATABASE <name>} name the database, which differs between the sides by design.
     */
    static List<Line> parse(List<String> raw, String databaseName) {
        List<Line> kept = new ArrayList<>();
        String object = "schema";
        for (String line : raw) {
            Matcher name = NAME_COMMENT.matcher(line);
            if (name.matches()) {
                object = name.group(2).toLowerCase(java.util.Locale.ROOT) + " "
                        + ("-".equals(name.group(3)) ? "" : name.group(3) + ".") + name.group(1);
            }
            if (line.isBlank() || line.startsWith("--") || line.startsWith("\\restrict ")
                    || line.startsWith("\\unrestrict ") || line.startsWith("\\connect ")) {
                continue;
            }
            kept.add(new Line(withoutDatabaseName(line, databaseName), object));
        }
        return kept;
    }

    private static String withoutDatabaseName(String line, String databaseName) {
        String result = line;
        for (String form : List.of("\"" + databaseName.replace("\"", "\"\"") + "\"", databaseName)) {
            result = result.replaceAll("DATABASE " + Pattern.quote(form) + "(?![\\p{L}\\p{N}_$\"])",
                    Matcher.quoteReplacement("DATABASE <database>"));
        }
        return result;
    }

    /** One line present on one side only: {@code removed} means only on the source. */
    record Edit(boolean removed, Line line) {
    }

    private static List<Difference> report(List<Edit> edits) {
        List<Difference> out = new ArrayList<>();
        for (Edit e : edits.subList(0, Math.min(MAX_LINES, edits.size()))) {
            out.add(e.removed()
                    ? new Difference(Difference.Area.SCHEMA, e.line().object(), "pg_dump line",
                            Optional.of(e.line().text()), Optional.empty())
                    : new Difference(Difference.Area.SCHEMA, e.line().object(), "pg_dump line", Optional.empty(),
                            Optional.of(e.line().text())));
        }
        if (edits.size() > MAX_LINES) {
            out.add(Difference.changed(Difference.Area.SCHEMA, "schema", "pg_dump lines differing",
                    Long.toString(edits.stream().filter(Edit::removed).count()) + " only on the source",
                    Long.toString(edits.stream().filter(e -> !e.removed()).count()) + " only on the target"));
        }
        return out;
    }

    /**
     * A minimal line diff: common head and tail are skipped, the middle is aligned by longest common subsequence,
     * or, when it is too large for that, matched as multisets (which names every added or removed line but not lines
     * that merely moved).
     */
    static List<Edit> diff(List<Line> a, List<Line> b) {
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
        return edits.isEmpty() && !x.isEmpty() ? List.of(new Edit(true, x.get(0)), new Edit(false, y.get(0))) : edits;
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
        Map<String, Integer> surplus = new HashMap<>();
        x.forEach(l -> surplus.merge(l.text(), 1, Integer::sum));
        y.forEach(l -> surplus.merge(l.text(), -1, Integer::sum));
        List<Edit> edits = new ArrayList<>();
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
}
