package io.pgcopydb.internal.schema;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.internal.catalog.CatalogSql;
import io.pgcopydb.internal.filter.FilterPlan;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.run.RunContext;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first half of {@code dropIfExists}: one {@code DROP TABLE IF EXISTS … CASCADE} of every source table
 * (partitioned parents included) that the target has, as pgcopydb does, because pg_restore's own
 * {@code --clean} cannot drop tables that other, unselected objects depend on (pgcopydb #133). The second half is
 * {@code pg_restore --clean --if-exists}, which drops and recreates the other objects of the archive.
 *
 * <p>The source's event triggers that the target has are dropped first, in the same transaction: they are
 * post-data objects that belong to no table, so nothing else would remove them before pg_restore tries to drop
 * the functions they call, which would fail.
 *
 * <p>CASCADE reaches further than the tables: views over them, foreign keys from other tables, functions taking
 * their row type. The drop therefore runs in a transaction that looks at what it removed before committing: an
 * object that was not part of a dropped table and that the source does not have (by
 * {@code pg_describe_object}) would be lost for good, so the transaction is rolled back and the copy stops, naming
 * those objects. Objects the source has too (pagila's views over its tables) are recreated by the restore.
 */
final class TargetCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(TargetCleaner.class);
    private static final int NAMED = 10;

    private static final String SOURCE_TABLES = """
            SELECT n.nspname, c.relname
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND\s""" + CatalogSql.USER_RELATION + "ORDER BY 1, 2";

    private static final String SOURCE_EVENT_TRIGGERS = """
            SELECT t.evtname FROM pg_catalog.pg_event_trigger t
            WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                              WHERE d.classid = 'pg_catalog.pg_event_trigger'::pg_catalog.regclass
                                AND d.objid = t.oid AND d.deptype = 'e')
            ORDER BY 1
            """;

    private static final String TARGET_TABLES = """
            SELECT c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN unnest(?::pg_catalog.text[], ?::pg_catalog.text[]) AS s(nspname, relname)
              ON s.nspname = n.nspname AND s.relname = c.relname
            WHERE c.relkind IN ('r', 'p')
            ORDER BY 2
            """;

    /**
     * Every user object with a dependency, except the dropped tables and what belongs to them (their columns,
     * indexes, constraints, triggers, defaults, row type, TOAST table, owned sequences, partitions): the objects a
     * CASCADE could remove without the user having asked for it. A view's {@code _RETURN} rule is left out, the
     * view itself is listed.
     */
    private static final String OTHER_OBJECTS = """
            WITH RECURSIVE part(classid, objid) AS (
                SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, t
                FROM pg_catalog.unnest(?::pg_catalog.oid[]) AS t
              UNION
                SELECT d.classid, d.objid
                FROM pg_catalog.pg_depend d JOIN part p ON d.refclassid = p.classid AND d.refobjid = p.objid
                WHERE d.deptype IN ('a', 'i', 'P', 'S')
            )
            SELECT DISTINCT d.classid, d.objid, d.objsubid, pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid),
                   ARRAY(SELECT o.refclassid::pg_catalog.int8 FROM pg_catalog.pg_depend o
                         WHERE o.classid = d.classid AND o.objid = d.objid AND o.deptype IN ('a', 'i')
                         ORDER BY o.refclassid, o.refobjid),
                   ARRAY(SELECT o.refobjid::pg_catalog.int8 FROM pg_catalog.pg_depend o
                         WHERE o.classid = d.classid AND o.objid = d.objid AND o.deptype IN ('a', 'i')
                         ORDER BY o.refclassid, o.refobjid)
            FROM pg_catalog.pg_depend d
            WHERE d.classid <> 0 AND d.objid >= 16384
              AND NOT EXISTS (SELECT 1 FROM part p WHERE p.classid = d.classid AND p.objid = d.objid)
              AND NOT (d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                       AND EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite r WHERE r.oid = d.objid AND r.rulename = '_RETURN'))
            """;

    private static final String REMAINING = """
            SELECT DISTINCT classid, objid, objsubid FROM pg_catalog.pg_depend WHERE classid <> 0 AND objid >= 16384
            """;

    private static final String NOT_ON_SOURCE = """
            SELECT pg_catalog.unnest(?::pg_catalog.text[])
            EXCEPT
            SELECT pg_catalog.pg_describe_object(classid, objid, objsubid) FROM pg_catalog.pg_depend WHERE classid <> 0
            """;

    private record ObjectKey(long classId, long objectId, int subId) {
    }

    /**
     * An object a CASCADE might take: its description, and the objects it belongs to (its automatic and
     * internal dependencies: a constraint's table, a TOAST table's relation, a row type's relation).
     */
    private record Other(String description, List<ObjectKey> owners) {
    }

    private TargetCleaner() {
    }

    /**
     * Drops the target's tables that the source has, then runs {@code restoreDrops} (the statements pg_restore's
     * {@code --clean --if-exists} will run for the pre-data list, which drop no table but the other objects the
     * restore recreates), in one transaction: an object of the target that the source does not have and that
     * depends on one of them (a view calling a source function) stops the copy here with nothing dropped, instead
     * of failing pg_restore after the tables were gone.
     *
     * @throws PgCopyException when the drop would take objects the source does not have with it, or the target
     *     refuses one of {@code restoreDrops} because other objects depend on it; nothing is dropped then
     */
    static void dropSourceTables(RunContext context, Optional<FilterPlan> filter, List<String> restoreDrops)
            throws SQLException {
        List<QualifiedName> sourceTables = new ArrayList<>();
        List<String> sourceEventTriggers = new ArrayList<>();
        readSource(context, filter, sourceTables, sourceEventTriggers);
        try (Connection target = context.openTarget()) {
            target.setAutoCommit(false);
            // Fully qualified descriptions, comparable with the source's.
            Sessions.execute(target, "SET LOCAL search_path = pg_catalog");
            dropEventTriggers(target, sourceEventTriggers);
            Map<Long, String> tables = targetTables(target, sourceTables);
            if (tables.isEmpty()) {
                LOG.info("dropIfExists: none of the source's {} tables exists on the target", sourceTables.size());
                dropTheRest(target, restoreDrops);
                target.commit();
                return;
            }
            Map<ObjectKey, Other> before = otherObjects(target, tables.keySet());
            String drop = "DROP TABLE IF EXISTS " + String.join(", ", tables.values()) + " CASCADE";
            LOG.info("dropIfExists: dropping {} tables on the target", tables.size());
            LOG.debug("{}", SqlText.cap(drop, 2000));
            Sessions.execute(target, drop);
            Set<ObjectKey> after = remaining(target);
            List<String> cascaded = new ArrayList<>();
            before.forEach((key, other) -> {
                if (!after.contains(key) && !partOfDropped(key, other, before, after)) {
                    cascaded.add(other.description());
                }
            });
            List<String> foreign = cascaded.isEmpty() ? List.of() : notOnSource(context, cascaded);
            if (!foreign.isEmpty()) {
                target.rollback();
                Problem problem = Problem.of(ErrorCode.DROP_WOULD_CASCADE, "dropIfExists(): dropping the source's "
                        + "tables on the target would also drop " + foreign.size() + " object(s) the source does not "
                        + "have (" + named(foreign) + "), so nothing was dropped", "drop or change them on the "
                        + "target first").withSide(Side.TARGET).withObject(foreign.stream().sorted().findFirst()
                        .orElse(null));
                throw PgCopyException.builder(problem.code(), problem.toString()).problem(problem)
                        .phase(Phase.PREPARE_SCHEMA).build();
            }
            dropTheRest(target, restoreDrops);
            target.commit();
            if (!cascaded.isEmpty()) {
                LOG.info("dropIfExists: CASCADE also dropped {} object(s) that the restore recreates: {}",
                        cascaded.size(), named(cascaded));
            }
        }
    }

    /**
     * Runs pg_restore's own drops in the transaction; one the target refuses because other objects depend on what
     * it drops (SQLSTATE 2BP01) rolls everything back and stops the copy, naming them.
     */
    private static void dropTheRest(Connection target, List<String> restoreDrops) throws SQLException {
        for (String sql : restoreDrops) {
            try {
                Sessions.execute(target, sql);
            } catch (SQLException e) {
                if (!"2BP01".equals(e.getSQLState())) {
                    throw e;
                }
                target.rollback();
                String statement = SqlText.cap(sql.strip().replaceAll("\\s+", " "), 200);
                Problem problem = Problem.of(ErrorCode.DROP_WOULD_CASCADE, "dropIfExists(): the restore must run "
                        + statement + ", which the target refuses: " + Errors.message(e) + ", so nothing was "
                        + "dropped", "drop or change those objects on the target first").withSide(Side.TARGET)
                        .withObject(statement);
                throw PgCopyException.builder(problem.code(), problem.toString()).problem(problem)
                        .phase(Phase.PREPARE_SCHEMA).cause(e).build();
            }
        }
        if (!restoreDrops.isEmpty()) {
            LOG.info("dropIfExists: ran the restore's {} DROP statement(s) in the same transaction",
                    restoreDrops.size());
        }
    }

    /**
     * Whether a dropped object went with something else that was dropped and is named on its own: a column with
     * its view, a TOAST table with its materialized view. A foreign key on a table that stays is not.
     */
    private static boolean partOfDropped(ObjectKey key, Other other, Map<ObjectKey, Other> before,
            Set<ObjectKey> after) {
        List<ObjectKey> owners = new ArrayList<>(other.owners());
        if (key.subId() != 0) {
            owners.add(new ObjectKey(key.classId(), key.objectId(), 0));
        }
        return owners.stream().anyMatch(o -> before.containsKey(o) && !after.contains(o));
    }

    private static String named(List<String> objects) {
        List<String> sorted = objects.stream().sorted().toList();
        String shown = String.join(", ", sorted.subList(0, Math.min(NAMED, sorted.size())));
        return sorted.size() > NAMED ? shown + " and " + (sorted.size() - NAMED) + " more" : shown;
    }

    private static void readSource(RunContext context, Optional<FilterPlan> filter, List<QualifiedName> tables,
            List<String> eventTriggers)
            throws SQLException {
        try (Connection source = context.openSource(); Statement s = source.createStatement()) {
            try (ResultSet rs = s.executeQuery(SOURCE_TABLES)) {
                while (rs.next()) {
                    // With a filter, only the tables it creates on the target are dropped there first.
                    if (filter.isPresent() && !filter.get().tableSelected(rs.getString(1), rs.getString(2))) {
                        continue;
                    }
                    tables.add(new QualifiedName(rs.getString(1), rs.getString(2)));
                }
            }
            try (ResultSet rs = s.executeQuery(SOURCE_EVENT_TRIGGERS)) {
                while (rs.next()) {
                    eventTriggers.add(rs.getString(1));
                }
            }
        }
    }

    /**
     * Drops the source's event triggers that the target has, before a post-data restore replaces them: its
     * {@code --clean} drops would fire them otherwise.
     */
    static void dropSourceEventTriggers(RunContext context) throws SQLException {
        List<String> sourceEventTriggers = new ArrayList<>();
        // Post-data runs after the snapshot is released: the source as it is now, which only picks what to drop.
        try (Connection source = Sessions.openSource(context.options().source(), Optional.empty());
                Statement s = source.createStatement();
                ResultSet rs = s.executeQuery(SOURCE_EVENT_TRIGGERS)) {
            while (rs.next()) {
                sourceEventTriggers.add(rs.getString(1));
            }
        }
        try (Connection target = context.openTarget()) {
            dropEventTriggers(target, sourceEventTriggers);
        }
    }

    private static void dropEventTriggers(Connection target, List<String> sourceEventTriggers) throws SQLException {
        if (sourceEventTriggers.isEmpty()) {
            return;
        }
        List<String> present = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement(
                "SELECT evtname FROM pg_catalog.pg_event_trigger WHERE evtname = ANY (?) ORDER BY 1")) {
            ps.setArray(1, target.createArrayOf("text", sourceEventTriggers.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        for (String name : present) {
            Sessions.execute(target, "DROP EVENT TRIGGER IF EXISTS " + QualifiedName.quoteIdent(name));
        }
        if (!present.isEmpty()) {
            LOG.info("dropped {} event trigger(s) of the source from the target, the restore recreates them: {}", present.size(),
                    String.join(", ", present));
        }
    }

    private static Map<Long, String> targetTables(Connection target, List<QualifiedName> sourceTables)
            throws SQLException {
        Map<Long, String> tables = new LinkedHashMap<>();
        try (PreparedStatement ps = target.prepareStatement(TARGET_TABLES)) {
            ps.setArray(1, target.createArrayOf("text", sourceTables.stream().map(QualifiedName::schema).toArray()));
            ps.setArray(2, target.createArrayOf("text", sourceTables.stream().map(QualifiedName::name).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return tables;
    }

    private static Map<ObjectKey, Other> otherObjects(Connection target, Set<Long> tableOids) throws SQLException {
        Map<ObjectKey, Other> objects = new LinkedHashMap<>();
        try (PreparedStatement ps = target.prepareStatement(OTHER_OBJECTS)) {
            ps.setArray(1, target.createArrayOf("oid", tableOids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long[] ownerClasses = (Long[]) rs.getArray(5).getArray();
                    Long[] ownerObjects = (Long[]) rs.getArray(6).getArray();
                    List<ObjectKey> owners = new ArrayList<>();
                    for (int i = 0; i < ownerClasses.length; i++) {
                        owners.add(new ObjectKey(ownerClasses[i], ownerObjects[i], 0));
                    }
                    objects.put(new ObjectKey(rs.getLong(1), rs.getLong(2), rs.getInt(3)),
                            new Other(rs.getString(4), owners));
                }
            }
        }
        return objects;
    }

    private static Set<ObjectKey> remaining(Connection target) throws SQLException {
        Set<ObjectKey> keys = new HashSet<>();
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(REMAINING)) {
            while (rs.next()) {
                keys.add(new ObjectKey(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
            }
        }
        return keys;
    }

    private static List<String> notOnSource(RunContext context, List<String> descriptions) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (Connection source = context.openSource()) {
            Sessions.execute(source, "SET LOCAL search_path = pg_catalog");
            try (PreparedStatement ps = source.prepareStatement(NOT_ON_SOURCE)) {
                ps.setArray(1, source.createArrayOf("text", descriptions.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        missing.add(rs.getString(1));
                    }
                }
            }
        }
        return missing;
    }
}
