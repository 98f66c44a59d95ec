package io.pgcopydb.testkit.compare;

import io.pgcopydb.testkit.compare.DatabaseSnapshot.LargeObject;
import io.pgcopydb.testkit.compare.DatabaseSnapshot.Matview;
import io.pgcopydb.testkit.compare.DatabaseSnapshot.RelationName;
import io.pgcopydb.testkit.compare.DatabaseSnapshot.Rows;
import io.pgcopydb.testkit.compare.DatabaseSnapshot.SchemaState;
import io.pgcopydb.testkit.compare.DatabaseSnapshot.SequenceState;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import io.pgcopydb.testkit.server.TestkitException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Proves that a copied database equals its source, or says what differs.
 *
 * <pre>{@code
 * DatabaseComparison.of(pair.source(), pair.target())
 *         .ignoringSchemas("audit")
 *         .ignoringTableData("public.events")
 *         .compare()
 *         .assertIdentical();
 * }</pre>
 *
 * <p>{@link #compare()} checks, on each side, read-only:
 * <ol>
 *   <li>the schema: {@code pg_dump --schema-only}, without comments, blank lines and pg_dump's
 *       {@code \restrict} keys, compared line by line;</li>
 *   <li>every table (leaf partitions included; partitioned parents hold no rows): row count and an
 *       order-independent hash of its rows;</li>
 *   <li>every sequence: {@code last_value} and {@code is_called};</li>
 *   <li>every materialized view: whether it is populated and, when it is, its row count and hash;</li>
 *   <li>every non-system schema, {@code public} included: owner and ACL (pg_dump leaves out some of these,
 *       e.g. grants it considers the default on {@code public});</li>
 *   <li>large objects: the set of OIDs, and each one's owner, ACL and md5 of its data;</li>
 *   <li>database settings: the {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET} items
 *       of {@code pg_db_role_setting}, as {@code role|name=value}.</li>
 * </ol>
 * Objects in {@code pg_catalog}, {@code information_schema}, {@code pg_toast} and temporary schemas, and
 * relations that belong to an extension, are not compared row by row. The catalog figures of one side come
 * from one connection in one repeatable-read transaction; pg_dump uses its own connection.
 *
 * <p>An instance is a mutable builder and not thread-safe; {@link #compare()} may be called again after the
 * databases change.
 */
public final class DatabaseComparison {
    private final TestDatabase source;
    private final TestDatabase target;
    private final Set<String> ignoredSchemas = new LinkedHashSet<>();
    private final List<List<String>> ignoredData = new ArrayList<>();
    private final List<String> sourceChanges = new ArrayList<>();

    private DatabaseComparison(TestDatabase source, TestDatabase target) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
    }

    /** Starts a comparison of {@code target} against {@code source}. */
    public static DatabaseComparison of(TestDatabase source, TestDatabase target) {
        return new DatabaseComparison(source, target);
    }

    /**
     * Leaves these schemas out of every check: the schema dump, row and sequence checks, and owner/ACL checks.
     *
     * @param schemas exact schema names as stored in the catalog (not patterns, not quoted)
     * @return this comparison
     */
    public DatabaseComparison ignoringSchemas(String... schemas) {
        for (String s : schemas) {
            ignoredSchemas.add(Objects.requireNonNull(s, "schema"));
        }
        return this;
    }

    /**
     * Compares these tables' (or materialized views') schema but not their rows.
     *
     * @param qualifiedNames names as SQL spells them: {@code public.events}, {@code "Mixed Case"."tab le"};
     *     unquoted parts fold to lower case, and a name without a schema matches that table in every schema
     * @return this comparison
     * @throws IllegalArgumentException when a name cannot be parsed
     */
    public DatabaseComparison ignoringTableData(String... qualifiedNames) {
        for (String n : qualifiedNames) {
            ignoredData.add(parseQualifiedName(Objects.requireNonNull(n, "table name")));
        }
        return this;
    }

    /**
     * Compares the target with the source as it would be after {@code statements}: they run, in order, on a
     * scratch copy of the source ({@code CREATE DATABASE … TEMPLATE}, dropped after the comparison), never on
     * the source itself. This is how a test states what a filter removed in PostgreSQL's own terms — say
     * {@code DROP TABLE t CASCADE}, whose cascade is the server's dependency tracking, not the code under test.
     * No other session may be connected to the source while {@link #compare()} runs (a template must be idle).
     *
     * @param statements SQL statements, each run on its own (psql meta-commands are not allowed)
     * @return this comparison
     */
    public DatabaseComparison withSourceChanged(List<String> statements) {
        statements.forEach(st -> sourceChanges.add(Objects.requireNonNull(st, "statement")));
        return this;
    }

    /**
     * Runs every check and collects the differences.
     *
     * @throws TestkitException when pg_dump is missing or fails, or a database cannot be read
     */
    public ComparisonResult compare() {
        if (sourceChanges.isEmpty()) {
            return compare(source);
        }
        String scratch = "cmp_" + Long.toHexString(System.nanoTime());
        PostgresServer server = source.server();
        server.execute(server.maintenanceDatabase(), "CREATE DATABASE " + Sql.quoteIdent(scratch) + " TEMPLATE "
                + Sql.quoteIdent(source.name()));
        try {
            TestDatabase changed = new TestDatabase(server, scratch);
            for (String statement : sourceChanges) {
                changed.execute(statement);
            }
            return compare(changed);
        } finally {
            server.dropDatabase(scratch);
        }
    }

    private ComparisonResult compare(TestDatabase source) {
        Path pgDump = SchemaDump.locatePgDump(source.server(), target.server());
        SchemaDump sourceDump = SchemaDump.of(source, pgDump, ignoredSchemas);
        SchemaDump targetDump = SchemaDump.of(target, pgDump, ignoredSchemas);
        DatabaseSnapshot s = DatabaseSnapshot.read(source, ignoredSchemas, this::ignoresData);
        DatabaseSnapshot t = DatabaseSnapshot.read(target, ignoredSchemas, this::ignoresData);

        List<String> out = new ArrayList<>(SchemaDump.differences(sourceDump, targetDump));
        int schemas = compareEach(out, s.schemas, t.schemas, n -> "schema " + RelationName.displayIdent(n),
                DatabaseComparison::schemaDifferences);
        int tables = compareEach(out, s.tables, t.tables, n -> "table " + n.display(),
                DatabaseComparison::rowDifferences);
        int matviews = compareEach(out, s.matviews, t.matviews, n -> "materialized view " + n.display(),
                DatabaseComparison::matviewDifferences);
        int sequences = compareEach(out, s.sequences, t.sequences, n -> "sequence " + n.display(),
                DatabaseComparison::sequenceDifferences);
        if (s.largeObjects.size() != t.largeObjects.size()) {
            out.add("large objects: count " + s.largeObjects.size() + " vs " + t.largeObjects.size());
        }
        int largeObjects = compareEach(out, s.largeObjects, t.largeObjects, oid -> "large object " + oid,
                DatabaseComparison::largeObjectDifferences);
        compareDatabaseSettings(out, s.databaseSettings, t.databaseSettings);
        return new ComparisonResult(out, tables, matviews, sequences, schemas, largeObjects, sourceDump.size());
    }

    private boolean ignoresData(RelationName name) {
        for (List<String> parts : ignoredData) {
            boolean matches = parts.size() == 1
                    ? parts.get(0).equals(name.name())
                    : parts.get(0).equals(name.schema()) && parts.get(1).equals(name.name());
            if (matches) {
                return true;
            }
        }
        return false;
    }

    /** Values of one kind of object on each side: the differences between them, without the object's name. */
    private interface ValueComparison<V> {
        List<String> differences(V source, V target);
    }

    /** Reports objects present on one side only, then value differences; returns how many objects there are. */
    private static <K extends Comparable<K>, V> int compareEach(List<String> out, Map<K, V> source, Map<K, V> target,
                                                                Function<K, String> label,
                                                                ValueComparison<V> comparison) {
        Set<K> all = new TreeSet<>(source.keySet());
        all.addAll(target.keySet());
        for (K key : all) {
            String what = label.apply(key);
            if (!source.containsKey(key)) {
                out.add(what + ": missing on source");
            } else if (!target.containsKey(key)) {
                out.add(what + ": missing on target");
            } else {
                comparison.differences(source.get(key), target.get(key)).forEach(d -> out.add(what + ": " + d));
            }
        }
        return all.size();
    }

    private static List<String> schemaDifferences(SchemaState s, SchemaState t) {
        List<String> d = new ArrayList<>();
        differ(d, "owner", s.owner(), t.owner());
        differ(d, "acl", s.acl(), t.acl());
        return d;
    }

    /** A {@code null} side means the table's data is ignored. */
    private static List<String> rowDifferences(Rows s, Rows t) {
        if (s == null || t == null) {
            return List.of();
        }
        if (s.count() != t.count()) {
            return List.of("rows " + s.count() + " vs " + t.count());
        }
        if (!s.hash().equals(t.hash())) {
            return List.of("row hash differs (same count " + s.count() + ")");
        }
        return List.of();
    }

    private static List<String> matviewDifferences(Matview s, Matview t) {
        if (s.populated() != t.populated()) {
            return List.of("populated " + s.populated() + " vs " + t.populated());
        }
        return rowDifferences(s.rows(), t.rows());
    }

    private static List<String> sequenceDifferences(SequenceState s, SequenceState t) {
        List<String> d = new ArrayList<>();
        differ(d, "last_value", s.lastValue(), t.lastValue());
        differ(d, "is_called", s.isCalled(), t.isCalled());
        return d;
    }

    private static List<String> largeObjectDifferences(LargeObject s, LargeObject t) {
        List<String> d = new ArrayList<>();
        differ(d, "owner", s.owner(), t.owner());
        differ(d, "acl", s.acl(), t.acl());
        differ(d, "data md5", s.md5(), t.md5());
        return d;
    }

    /** One line per {@code role|name=value} item present on one side only. */
    private static void compareDatabaseSettings(List<String> out, Set<String> source, Set<String> target) {
        Set<String> all = new TreeSet<>(source);
        all.addAll(target);
        for (String item : all) {
            if (source.contains(item) && target.contains(item)) {
                continue;
            }
            int bar = item.indexOf('|');
            String role = item.substring(0, bar);
            String setting = item.substring(bar + 1);
            out.add((role.isEmpty() ? "database setting " + setting : "setting " + setting + " of role " + role)
                    + ": missing on " + (source.contains(item) ? "target" : "source"));
        }
    }

    private static void differ(List<String> out, String what, Object source, Object target) {
        if (!Objects.equals(source, target)) {
            out.add(what + " " + (source == null ? "NULL" : source) + " vs " + (target == null ? "NULL" : target));
        }
    }

    /**
     * Splits {@code a.b} / {@code "a.b"."c"} into its unquoted parts the way PostgreSQL reads a qualified
     * name: a dot separates only outside double quotes, {@code ""} inside quotes is one quote, and unquoted
     * parts fold to lower case.
     */
    static List<String> parseQualifiedName(String qualified) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < qualified.length(); i++) {
            char ch = qualified.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < qualified.length() && qualified.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    part.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (ch == '.') {
                parts.add(finishPart(part, wasQuoted, qualified));
                part.setLength(0);
                wasQuoted = false;
            } else {
                // PostgreSQL folds only ASCII letters of an unquoted identifier.
                part.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A')) : ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in table name " + qualified);
        }
        parts.add(finishPart(part, wasQuoted, qualified));
        if (parts.size() > 2) {
            throw new IllegalArgumentException("expected schema.table, got " + qualified);
        }
        return List.copyOf(parts);
    }

    private static String finishPart(StringBuilder part, boolean wasQuoted, String qualified) {
        String s = wasQuoted ? part.toString() : part.toString().strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty name part in " + qualified);
        }
        return s;
    }
}
