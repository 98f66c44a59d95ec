package io.pgcopydb.cli;

import io.pgcopydb.FollowBuilder;
import io.pgcopydb.FollowReport;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The follow's options shared by {@code clone --follow}, {@code follow} and {@code stream setup|cleanup}. */
final class FollowArguments {
    @Option(names = "--slot-name", paramLabel = "NAME", order = 40,
            description = "The logical replication slot's name (default pgcopydb).")
    String slotName;

    @Option(names = "--origin", paramLabel = "NAME", order = 41,
            description = "The replication origin's name on the target (default pgcopydb).")
    String origin;

    @Option(names = "--publication", paramLabel = "NAME", order = 42,
            description = "The publication's name on the source (default: the slot's name).")
    String publication;

    @Option(names = "--endpos", paramLabel = "LSN", order = 43,
            description = "Stop once every transaction committed before this WAL position (e.g. 0/16B3748) is "
                    + "applied (default: when 'stream sentinel set endpos' says).")
    String endpos;

    /** Applies the names and the endpos; a malformed value is a usage error naming the option. */
    FollowBuilder applyTo(FollowBuilder follow) {
        try {
            if (slotName != null) {
                follow.slotName(slotName);
            }
            if (origin != null) {
                follow.origin(origin);
            }
            if (publication != null) {
                follow.publication(publication);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (endpos != null) {
            try {
                follow.endpos(endpos);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--endpos: " + e.getMessage());
            }
        }
        return follow;
    }

    /** The follow's outcome, on standard output. */
    static void print(FollowReport report, PrintWriter out) {
        out.printf("Follow done: applied up to %s (endpos %s), %d sequences set, dropped %s, in %ds%n",
                report.appliedUpTo(), report.endpos().isEmpty() ? "none" : report.endpos(), report.sequencesSynced(),
                report.dropped().isEmpty() ? "nothing" : String.join(", ", report.dropped()),
                report.elapsed().toSeconds());
        out.flush();
    }
}
