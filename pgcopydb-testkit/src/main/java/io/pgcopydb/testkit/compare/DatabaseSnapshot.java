package io.pgcopydb.testkit.compare;

import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import io.pgcopydb.testkit.server.TestkitException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What {@link DatabaseComparison} compares in one database, read in one read-only, repeatable-read
 * transaction so that every figure comes from the same snapshot.
 */
final class DatabaseSnapshot {
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");

    /**
     * Pins every session setting that changes how a value prints as text, since the row hashes are taken over
     * text and the two servers may have different defaults.
     */
    private static final String SESSION_SETTINGS = "SET search_path = pg_catalog; SET TimeZone = 'UTC';"
            + " SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3;"
            + " SET bytea_output = 'hex'; SET lc_monetary = 'C'; SET xmloption = 'content'";

    /** A schema-qualified relation name, as stored in the catalog (not quoted). */
    record RelationName(String schema, String name) implements Comparable<RelationName> {
        private static final Comparator<RelationName> ORDER =
                Comparator.comparing(RelationName::schema).thenComparing(RelationName::name);

        /** The name as SQL would accept it, quoting only where needed: {@code public.film}, {@code "A b"."c"}. */
        String display() {
            return displayIdent(schema) + "." + displayIdent(name);
        }

        /** The name for a query: always quoted, which is always correct. */
        String quoted() {
            return Sql.quoteIdent(schema) + "." + Sql.quoteIdent(name);
        }

        @Override
        public int compareTo(RelationName o) {
            return ORDER.compare(this, o);
        }

        /** One identifier, quoted only where needed. */
        static String displayIdent(String ident) {
            return PLAIN_IDENTIFIER.matcher(ident).matches() ? ident : Sql.quoteIdent(ident);
        }
    }

    /** Row count and order-independent hash of a relation's rows. */
    record Rows(long count, String hash) {
    }

    /** A materialized view's state; {@code rows} is null when it is not populated or its data is ignored. */
    record Matview(boolean populated, Rows rows) {
    }

    /** {@code last_value} and {@code is_called} of a sequence. */
    record SequenceState(String lastValue, boolean isCalled) {
    }

    /** Owner and (sorted) ACL of a schema; {@code acl} is null for default privileges. */
    record SchemaState(String owner, String acl) {
    }

    /** Owner, (sorted) ACL and md5 of the data of a large object. */
    record LargeObject(String owner, String acl, String md5) {
    }

    /** A {@code null} value means the table's rows were not read because its data is ignored. */
    final Map<RelationName, Rows> tables = new TreeMap<>();
    final Map<RelationName, Matview> matviews = new TreeMap<>();
    final Map<RelationName, SequenceState> sequences = new TreeMap<>();
    final Map<String, SchemaState> schemas = new TreeMap<>();
    final Map<Long, LargeObject> largeObjects = new TreeMap<>();
    /** {@code role|name=value} per {@code pg_db_role_setting} item of this database; empty role: the database's. */
    final Set<String> databaseSettings = new TreeSet<>();

    private DatabaseSnapshot() {
    }

    /**
     * Reads {@code database}, skipping {@code ignoredSchemas} entirely and the rows of relations for which
     * {@code ignoreData} holds.
     *
     * @throws TestkitException when a query fails
     */
    static DatabaseSnapshot read(TestDatabase database, Collection<String> ignoredSchemas,
                                 Predicate<RelationName> ignoreData) {
        DatabaseSnapshot snapshot = new DatabaseSnapshot();
        try (Connection c = database.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute(SESSION_SETTINGS);
            }
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try {
                String[] ignored = ignoredSchemas.toArray(String[]::new);
                snapshot.readRelations(c, ignored, ignoreData);
                snapshot.readSchemas(c, ignored);
                snapshot.readLargeObjects(c);
                snapshot.readDatabaseSettings(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new TestkitException("reading " + database.name() + " for comparison failed: " + e.getMessage(), e);
        }
        return snapshot;
    }

    private void readRelations(Connection c, String[] ignoredSchemas, Predicate<RelationName> ignoreData)
            throws SQLException {
        for (Map.Entry<RelationName, Relation> e : listRelations(c, ignoredSchemas).entrySet()) {
            RelationName name = e.getKey();
            Relation r = e.getValue();
            switch (r.kind) {
                case "r" -> tables.put(name, ignoreData.test(name) ? null : rows(c, name));
                case "m" -> matviews.put(name, new Matview(r.populated,
                        r.populated && !ignoreData.test(name) ? rows(c, name) : null));
                case "S" -> sequences.put(name, sequence(c, name));
                default -> throw new IllegalStateException("unexpected relkind " + r.kind);
            }
        }
    }

    private record Relation(String kind, boolean populated) {
    }

    /**
     * Tables, materialized views and sequences outside the system schemas. Partitioned parents (relkind p)
     * hold no rows of their own, so only their leaves are read; extension members belong to the extension's
     * script, not to the data being copied.
     */
    private static Map<RelationName, Relation> listRelations(Connection c, String[] ignoredSchemas)
            throws SQLException {
        String sql = """
                SELECT n.nspname, c.relname, c.relkind, c.relispopulated
                  FROM pg_catalog.pg_class c
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'm', 'S')
                   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                   AND NOT n.nspname = ANY (?)
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                      AND d.objid = c.oid AND d.deptype = 'e')
                """;
        Map<RelationName, Relation> result = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", ignoredSchemas));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(new RelationName(rs.getString(1), rs.getString(2)),
                            new Relation(rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return result;
    }

    /**
     * Sums a 64-bit slice of each row's md5 as numeric: addition does not care about row order, and unlike
     * xor it does not cancel out duplicate rows. {@code t.*} rather than {@code t}, because a column named
     * {@code t} would win over the whole-row reference.
     */
    private static Rows rows(Connection c, RelationName name) throws SQLException {
        String sql = "SELECT count(*), coalesce(sum(('x' || substr(md5(CAST(t.* AS text)), 1, 16))"
                + "::bit(64)::bigint::numeric), 0)::text FROM ONLY " + name.quoted() + " t";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new Rows(rs.getLong(1), rs.getString(2));
        }
    }

    private static SequenceState sequence(Connection c, RelationName name) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_value::text, is_called FROM " + name.quoted())) {
            rs.next();
            return new SequenceState(rs.getString(1), rs.getBoolean(2));
        }
    }

    private void readSchemas(Connection c, String[] ignoredSchemas) throws SQLException {
        String sql = "SELECT nspname, nspowner::pg_catalog.regrole::text, " + sortedAcl("nspacl")
                + " FROM pg_catalog.pg_namespace"
                + " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' AND NOT nspname = ANY (?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", ignoredSchemas));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schemas.put(rs.getString(1), new SchemaState(rs.getString(2), rs.getString(3)));
                }
            }
        }
    }

    /**
     * Reads every large object whole through {@code lo_get}: fine for test data, not for gigabytes.
     * Large objects belong to the database, not to a schema, so ignored schemas do not apply.
     */
    private void readLargeObjects(Connection c) throws SQLException {
        String sql = "SELECT l.oid::bigint, l.lomowner::pg_catalog.regrole::text, " + sortedAcl("l.lomacl")
                + ", md5(lo_get(l.oid)) FROM pg_catalog.pg_largeobject_metadata l ORDER BY 1";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                largeObjects.put(rs.getLong(1), new LargeObject(rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
    }

    /**
     * {@code ALTER DATABASE … SET} ({@code setrole} 0, empty role) and {@code ALTER ROLE … IN DATABASE … SET}
     * items of the current database, by role name: the database names differ between the sides, the role names
     * do not.
     */
    private void readDatabaseSettings(Connection c) throws SQLException {
        String sql = "SELECT coalesce(r.rolname, ''), unnest(s.setconfig) FROM pg_catalog.pg_db_role_setting s"
                + " LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole"
                + " WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                databaseSettings.add(rs.getString(1) + "|" + rs.getString(2));
            }
        }
    }

    /**
     * An ACL as text with its items sorted: the same grants issued in another order must not count as a
     * difference. NULL (default privileges) stays distinct from an empty ACL (everything revoked).
     */
    private static String sortedAcl(String column) {
        return "CASE WHEN " + column + " IS NULL THEN NULL ELSE coalesce((SELECT array_agg(a::text ORDER BY a::text)"
                + " FROM unnest(" + column + ") a)::text, '{}') END";
    }
}
