package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.filter.FilterPlan;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.QualifiedName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOperation;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies extensions' configuration tables ({@code pg_extension.extconfig}), whose rows pg_dump puts in the data
 * section that the engine never restores: for each table, the rows its {@code extcondition} selects (the user's
 * rows, not the ones the extension script inserts), read in the run's snapshot; for each configuration sequence,
 * its value. One target transaction per extension: the selected rows already on the target are deleted (so a
 * second copy does not duplicate them), then the source's are loaded, tables referenced by another
 * configuration table's foreign key first.
 *
 * <p>Runs after the pre-data restore, which created the extensions and so their (empty) configuration tables.
 */
public final class ExtensionConfigCopier {
    private static final Logger LOG = LoggerFactory.getLogger(ExtensionConfigCopier.class);

    /** The multi-array {@code unnest} is FROM-clause syntax, not a function: it cannot be schema-qualified. */
    private static final String CONFIG = """
            SELECT e.extname, c.oid, n.nspname, c.relname, c.relkind, coalesce(x.cond, ''),
                   ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                         ORDER BY a.attnum)
            FROM pg_catalog.pg_extension e
            CROSS JOIN LATERAL unnest(e.extconfig, e.extcondition) WITH ORDINALITY AS x(reloid, cond, i)
            JOIN pg_catalog.pg_class c ON c.oid = x.reloid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            ORDER BY e.extname, x.i
            """;

    private static final String FOREIGN_KEYS = """
            SELECT conrelid, confrelid FROM pg_catalog.pg_constraint
            WHERE contype = 'f' AND conrelid = ANY (?) AND confrelid = ANY (?) AND conrelid <> confrelid
            """;

    /** One configuration relation: a table (with its condition and columns) or a sequence. */
    record ConfigRelation(long oid, QualifiedName name, boolean sequence, String condition, List<String> columns) {
        String selectList() {
            return columns.stream().map(QualifiedName::quoteIdent).collect(Collectors.joining(", "));
        }
    }

    private ExtensionConfigCopier() {
    }

    /** Copies every extension's configuration; call it only when extensions are copied. */
    public static void copy(RunContext context, Optional<FilterPlan> filter) throws SQLException {
        Map<String, List<ConfigRelation>> byExtension = new LinkedHashMap<>();
        Map<Long, Set<Long>> referenced = new HashMap<>();
        try (Connection source = context.openSource()) {
            read(source, byExtension);
            // With a filter, only the extensions it keeps are created, so only their configuration is copied.
            filter.ifPresent(f -> byExtension.keySet().removeIf(name -> !f.extensionKept(name)));
            if (byExtension.isEmpty()) {
                return;
            }
            foreignKeys(source, byExtension, referenced);
            long rows = 0;
            int relations = 0;
            for (Map.Entry<String, List<ConfigRelation>> e : byExtension.entrySet()) {
                List<ConfigRelation> ordered = dependencyOrder(e.getValue(), referenced);
                rows += copyExtension(context, source, e.getKey(), ordered);
                relations += ordered.size();
            }
            LOG.info("Copied {} rows of {} configuration tables and sequences of {} extension(s)", rows, relations,
                    byExtension.size());
        }
    }

    private static void read(Connection source, Map<String, List<ConfigRelation>> byExtension) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(CONFIG)) {
            while (rs.next()) {
                Array columns = rs.getArray(7);
                byExtension.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new ConfigRelation(
                        rs.getLong(2), new QualifiedName(rs.getString(3), rs.getString(4)),
                        "S".equals(rs.getString(5)), rs.getString(6).strip(),
                        columns == null ? List.of() : List.of((String[]) columns.getArray())));
            }
        }
    }

    private static void foreignKeys(Connection source, Map<String, List<ConfigRelation>> byExtension,
            Map<Long, Set<Long>> referenced) throws SQLException {
        Long[] oids = byExtension.values().stream().flatMap(List::stream).map(ConfigRelation::oid)
                .toArray(Long[]::new);
        try (PreparedStatement ps = source.prepareStatement(FOREIGN_KEYS)) {
            ps.setArray(1, source.createArrayOf("oid", oids));
            ps.setArray(2, source.createArrayOf("oid", oids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    referenced.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
                }
            }
        }
    }

    /**
     * The relations with every table after the tables its foreign keys reference; otherwise in
     * {@code extconfig} order. A cycle (which the extension's own script could not have loaded either) keeps the
     * remaining relations in their original order.
     */
    static List<ConfigRelation> dependencyOrder(List<ConfigRelation> relations, Map<Long, Set<Long>> referenced) {
        List<ConfigRelation> ordered = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        Set<Long> present = relations.stream().map(ConfigRelation::oid).collect(Collectors.toSet());
        List<ConfigRelation> waiting = new ArrayList<>(relations);
        while (!waiting.isEmpty()) {
            ConfigRelation next = waiting.stream()
                    .filter(r -> referenced.getOrDefault(r.oid(), Set.of()).stream()
                            .allMatch(p -> placed.contains(p) || !present.contains(p)))
                    .findFirst().orElse(waiting.get(0));
            waiting.remove(next);
            placed.add(next.oid());
            ordered.add(next);
        }
        return ordered;
    }

    private static long copyExtension(RunContext context, Connection source, String extension,
            List<ConfigRelation> ordered) throws SQLException {
        long rows = 0;
        try (Connection target = context.openTarget()) {
            target.setAutoCommit(false);
            for (int i = ordered.size() - 1; i >= 0; i--) {
                ConfigRelation r = ordered.get(i);
                if (!r.sequence()) {
                    Sessions.execute(target, "DELETE FROM ONLY " + r.name().quoted() + suffix(r.condition()));
                }
            }
            for (ConfigRelation r : ordered) {
                if (r.sequence()) {
                    copySequence(source, target, r);
                } else {
                    rows += copyTable(source, target, r);
                }
            }
            target.commit();
        } catch (SQLException e) {
            SQLException failure = new SQLException("copying the configuration tables of extension " + extension
                    + " failed: " + Errors.message(e), e.getSQLState());
            failure.addSuppressed(e);
            throw failure;
        }
        LOG.debug("copied the configuration of extension {}: {} rows", extension, rows);
        return rows;
    }

    private static String suffix(String condition) {
        return condition.isEmpty() ? "" : " " + condition;
    }

    private static long copyTable(Connection source, Connection target, ConfigRelation r) throws SQLException {
        if (r.columns().isEmpty()) {
            return 0;
        }
        String copyOut = "COPY (SELECT " + r.selectList() + " FROM ONLY " + r.name().quoted() + suffix(r.condition())
                + ") TO STDOUT";
        String copyIn = "COPY " + r.name().quoted() + " (" + r.selectList() + ") FROM STDIN";
        LOG.debug("{} -> {}", copyOut, copyIn);
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOut);
        CopyIn in = null;
        try {
            in = target.unwrap(PGConnection.class).getCopyAPI().copyIn(copyIn);
            byte[] row;
            while ((row = out.readFromCopy()) != null) {
                in.writeToCopy(row, 0, row.length);
            }
            return in.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancelQuietly(in, e);
            cancelQuietly(out, e);
            throw e;
        }
    }

    /** A failed copy must not leave a COPY running: the connection would be unusable. */
    private static void cancelQuietly(CopyOperation copy, Exception primary) {
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    private static void copySequence(Connection source, Connection target, ConfigRelation r) throws SQLException {
        long value;
        boolean called;
        try (Statement s = source.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + r.name().quoted())) {
            rs.next();
            value = rs.getLong(1);
            called = rs.getBoolean(2);
        }
        try (PreparedStatement ps = target.prepareStatement("SELECT pg_catalog.setval(?::regclass, ?, ?)")) {
            ps.setString(1, r.name().quoted());
            ps.setLong(2, value);
            ps.setBoolean(3, called);
            ps.execute();
        }
    }
}
