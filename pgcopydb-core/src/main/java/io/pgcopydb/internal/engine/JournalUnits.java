package io.pgcopydb.internal.engine;

import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry;
import io.pgcopydb.internal.state.JournalEntry.Kind;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The run-wide units of {@link CopyEngine} (pre-data, large objects, post-data), each done once across resumes. */
final class JournalUnits {
    private static final Logger LOG = LoggerFactory.getLogger(JournalUnits.class);

    private JournalUnits() {
    }

    /** A unit of a step that the journal records whole. */
    interface Unit {
        JournalEntry run() throws Exception;
    }

    /**
     * Runs {@code unit} unless the journal says the interrupted run this one resumes finished it, and records it
     * when done. Returns the journal's entry, earlier or new.
     */
    static JournalEntry once(Journal journal, Kind kind, String what, Unit unit) throws Exception {
        Optional<JournalEntry> earlier = journal.finished(kind, "");
        if (earlier.isPresent()) {
            LOG.info("{} was done by an earlier run on this work directory, skipped", what);
            return earlier.get();
        }
        JournalEntry entry = unit.run();
        journal.record(entry);
        return entry;
    }
}
