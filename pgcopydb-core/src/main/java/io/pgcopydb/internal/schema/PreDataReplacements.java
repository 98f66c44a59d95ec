package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.postgres.SqlText;
import io.pgcopydb.internal.postgres.TocLine;
import io.pgcopydb.internal.run.RunContext;
import java.nio.file.Path;
import java.sql.Connection;
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
 * The pre-data entries that pg_restore restores wrongly, restored by the copy's own SQL at their place in the list:
 * extensions at another version than the target's default ({@link ExtensionVersions}) and inheritance children
 * whose columns are in another order than {@code INHERITS} gives ({@link InheritedColumnOrder}).
 *
 * <p>With replacements, the list is cut around them: pg_restore restores each segment between them (no
 * {@code --clean}), the replacement runs in a target session of its own after the segment before it. A copy that
 * replaces what the target holds ({@code dropIfExists}, resume) first runs the DROP statements pg_restore's
 * {@code --clean --if-exists} would run for the whole list, once, last entry first: a segment cleaning only its own
 * entries would try to drop objects (a type, an extension) that later segments' objects still on the target depend
 * on. Without replacements nothing changes: one pg_restore run of the whole list, the common fast path.
 */
final class PreDataReplacements {
    private static final Logger LOG = LoggerFactory.getLogger(PreDataReplacements.class);

    /** Runs pg_restore on {@code list}, the entries of one segment active, its files named after {@code name}. */
    interface Segment {
        void restore(String name, List<String> list) throws Exception;
    }

    /** What the copy runs in place of an entry, on a target session of its own. */
    interface Action {
        void run(Connection target) throws Exception;
    }

    /**
     * One replaced entry.
     *
     * @param dumpId the entry's id in the archive
     * @param object the object, for logs ({@code extension ltree}, {@code table app.child})
     * @param action what runs instead of pg_restore's SQL
     */
    record Replacement(int dumpId, String object, Action action) {
    }

    private final RunContext context;
    private final RestoreScript script;
    private final Map<Integer, Replacement> replacements;

    private PreDataReplacements(RunContext context, RestoreScript script, Map<Integer, Replacement> replacements) {
        this.context = context;
        this.script = script;
        this.replacements = replacements;
    }

    /** The replacements the entries still active in {@code list} (already filtered) need; reads both sides. */
    static PreDataReplacements find(RunContext context, Path archive, List<String> list) throws Exception {
        RestoreScript script = new RestoreScript(context, archive);
        Map<Integer, Replacement> found = new LinkedHashMap<>();
        ExtensionVersions.replacements(context, list).forEach(r -> found.put(r.dumpId(), r));
        InheritedColumnOrder.replacements(context, script, list).forEach(r -> found.put(r.dumpId(), r));
        return new PreDataReplacements(context, script, found);
    }

    boolean isEmpty() {
        return replacements.isEmpty();
    }

    /** Restores {@code list}: the drops first when {@code clean}, then the segments and replacements in order. */
    void restore(List<String> list, boolean clean, Segment segment) throws Exception {
        LOG.info("pre-data: {} entries restored by the copy's own SQL, pg_restore around them: {}",
                replacements.size(), replacements.values().stream().map(Replacement::object).toList());
        if (clean) {
            dropAll(list);
        }
        Set<Integer> current = new HashSet<>();
        int segments = 0;
        for (String line : list) {
            Optional<TocLine> entry = TocLine.parse(line);
            if (entry.isEmpty()) {
                continue;
            }
            Replacement replacement = replacements.get(entry.get().dumpId());
            if (replacement == null) {
                current.add(entry.get().dumpId());
                continue;
            }
            if (!current.isEmpty()) {
                segment.restore("pre-data-" + ++segments, only(list, current));
                current.clear();
            }
            LOG.info("pre-data: restoring {} with the copy's own SQL", replacement.object());
            try (Connection target = context.openTarget()) {
                replacement.action().run(target);
            }
        }
        if (!current.isEmpty()) {
            segment.restore("pre-data-" + ++segments, only(list, current));
        }
    }

    /** {@code list} with the entries not in {@code dumpIds} commented out. */
    static List<String> only(List<String> list, Set<Integer> dumpIds) {
        return list.stream().map(line -> TocLine.parse(line).filter(e -> !dumpIds.contains(e.dumpId()))
                .map(e -> ";" + line).orElse(line)).toList();
    }

    private void dropAll(List<String> list) throws Exception {
        List<String> drops = script.drops(list);
        LOG.info("pre-data: dropping what the target has of the list's {} entries first (--clean --if-exists)",
                list.stream().filter(l -> TocLine.parse(l).isPresent()).count());
        try (Connection target = context.openTarget()) {
            for (String sql : drops) {
                LOG.debug("{};", SqlText.cap(sql.strip(), 2000));
                Sessions.execute(target, sql);
            }
        }
    }
}
