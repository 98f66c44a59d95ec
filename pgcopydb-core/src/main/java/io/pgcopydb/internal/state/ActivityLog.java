package io.pgcopydb.internal.state;

import io.pgcopydb.CopyListener;
import io.pgcopydb.Phase;
import io.pgcopydb.PlannedCopy;
import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.TablePart;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's plan and what it has started, appended to {@code activity} in the work directory, so that a reader of
 * the directory ({@code pgcopydb list progress}) can tell pending units from running ones: the {@link Journal} only
 * holds finished units and never the plan.
 *
 * <p>One line per event, {@code kind<TAB>key[<TAB>field…]}: {@code RUN} (a run attached, its lines follow),
 * {@code STEP} (a step started, done or failed), {@code TABLE} / {@code INDEX} / {@code CONSTRAINT} (the plan, once
 * per run), {@code STARTED} / {@code FAILED} (a part, index or constraint). Progress events are not written. Lines
 * are neither checksummed nor forced to disk: the file only informs; a reader ignores a torn last line. Events
 * before {@link #attach} (the preflight step) are dropped.
 *
 * <p>Thread-safe. A write that fails is logged once at WARN and the log goes silent: the copy never fails for it.
 */
public final class ActivityLog implements CopyListener {
    /** The file's name in the work directory. */
    public static final String FILE = "activity";
    private static final Logger LOG = LoggerFactory.getLogger(ActivityLog.class);

    private FileChannel channel;
    private boolean failed;

    /** A log writing nothing until {@link #attach}. */
    public ActivityLog() {
    }

    /**
     * Starts writing to {@code dir}: kept and appended to when {@code resumed}, else started over. Writes the run
     * line, and that preflight is done (it ended before there was a directory to write to).
     */
    public synchronized void attach(Path dir, String runId, boolean resumed) {
        try {
            channel = resumed
                    ? FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND)
                    : FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            fail(e);
            return;
        }
        write("RUN", runId, Long.toString(ProcessHandle.current().pid()), Instant.now().toString());
        write("STEP", Phase.PREFLIGHT.name(), "DONE");
    }

    /** Stops writing; later events are dropped. */
    public synchronized void detach() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing buffered
            }
            channel = null;
        }
    }

    @Override
    public void phaseStarted(Phase phase) {
        write("STEP", phase.name(), "STARTED");
    }

    @Override
    public void phaseFinished(Phase phase, Duration duration) {
        write("STEP", phase.name(), "DONE");
    }

    @Override
    public void phaseFailed(Phase phase, Throwable error) {
        write("STEP", phase.name(), "FAILED");
    }

    @Override
    public void copyPlanned(PlannedCopy plan) {
        Map<Long, TablePart> lastParts = new LinkedHashMap<>();
        plan.parts().forEach(p -> lastParts.put(p.table().oid(), p));
        StringBuilder lines = new StringBuilder();
        lastParts.values().forEach(p -> line(lines, "TABLE", Long.toString(p.table().oid()),
                Integer.toString(p.count()), Long.toString(p.table().bytes()), p.table().name().toString()));
        for (IndexDefinition i : plan.indexes()) {
            line(lines, "INDEX", Long.toString(i.oid()), i.table().toString(), i.name().toString());
        }
        for (ConstraintDefinition c : plan.constraints()) {
            line(lines, "CONSTRAINT", Long.toString(c.oid()), c.table().toString(), c.name());
        }
        append(lines.toString());
    }

    @Override
    public void tableCopyStarted(TablePart part) {
        write("STARTED", "PART", JournalEntry.PartCopied.key(part.table().oid(), part.number()));
    }

    @Override
    public void tableCopyFailed(TablePart part, Throwable error) {
        write("FAILED", "PART", JournalEntry.PartCopied.key(part.table().oid(), part.number()));
    }

    @Override
    public void indexStarted(IndexDefinition index) {
        write("STARTED", "INDEX", Long.toString(index.oid()));
    }

    @Override
    public void indexFailed(IndexDefinition index, Throwable error) {
        write("FAILED", "INDEX", Long.toString(index.oid()));
    }

    @Override
    public void constraintStarted(ConstraintDefinition constraint) {
        write("STARTED", "CONSTRAINT", Long.toString(constraint.oid()));
    }

    @Override
    public void constraintFailed(ConstraintDefinition constraint, Throwable error) {
        write("FAILED", "CONSTRAINT", Long.toString(constraint.oid()));
    }

    private void write(String kind, String key, String... details) {
        StringBuilder line = new StringBuilder();
        line(line, kind, key, details);
        append(line.toString());
    }

    private static void line(StringBuilder sb, String kind, String key, String... details) {
        sb.append(kind).append('\t').append(clean(key));
        for (String d : details) {
            sb.append('\t').append(clean(d));
        }
        sb.append('\n');
    }

    private synchronized void append(String text) {
        if (channel == null || failed || text.isEmpty()) {
            return;
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        failed = true;
        LOG.warn("cannot write the activity file of the work directory ({}): list progress will not see this run's "
                + "plan and running units; the copy goes on", e.getMessage());
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
