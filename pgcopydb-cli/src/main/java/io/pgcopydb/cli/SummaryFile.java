package io.pgcopydb.cli;

import io.pgcopydb.CopyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.LoggerFactory;

/**
 * {@code summary.json} in the work directory, as pgcopydb keeps it: the run's report ({@link CopyReport#toJson()},
 * the same object {@code --json} prints), written when a copy ends, whether it succeeded, failed or was cancelled,
 * so that what a run did can be read after it, next to the journal that lets it resume. Written only where the run
 * kept its work directory ({@link CopyReport#workDirectory()}): a default temporary directory removed after a
 * successful run keeps nothing. The file is replaced whole (written beside it, then moved), so a reader never sees
 * half of it.
 */
final class SummaryFile {
    /** The file's name in the work directory. */
    static final String NAME = "summary.json";

    private SummaryFile() {
    }

    /**
     * Writes {@code report} to its work directory's {@value #NAME}; a failure to write is logged, never thrown: the
     * copy's own outcome matters more.
     *
     * @param report the finished or partial report
     */
    static void write(CopyReport report) {
        report.workDirectory().filter(Files::isDirectory).ifPresent(dir -> {
            Path file = dir.resolve(NAME);
            Path temp = dir.resolve(NAME + ".tmp");
            try {
                Files.writeString(temp, report.toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                LoggerFactory.getLogger(SummaryFile.class).debug("Stored the run's summary in {}", file);
            } catch (IOException e) {
                LoggerFactory.getLogger(SummaryFile.class).warn("Could not write {}: {}", file, e.toString());
            }
        });
    }
}
