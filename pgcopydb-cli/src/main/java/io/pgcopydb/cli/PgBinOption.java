package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.compare.DatabaseCompare;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --pg-bin DIR}: the client tools of the commands that run {@code pg_dump} or {@code pg_restore}
 * ({@code clone}, and {@code compare} for its pg_dump comparison), the library's {@code clientTools(dir)}.
 */
final class PgBinOption {
    @Option(names = "--pg-bin", paramLabel = "DIR", order = 40,
            description = "Bin directory of the pg_dump and pg_restore to use; wins over PG_CONFIG (default: "
                    + "PG_CONFIG's, else the newest in PATH and /usr/lib/postgresql/*/bin that can dump the source).")
    private Path pgBin;

    /** {@code copy} with the directory given, if one was. */
    CopyBuilder applyTo(CopyBuilder copy) {
        if (pgBin != null) {
            try {
                copy.clientTools(pgBin);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--pg-bin: " + FlagWording.rewrite(e.getMessage()));
            }
        }
        return copy;
    }

    /** {@code compare} with the directory given, if one was. */
    DatabaseCompare applyTo(DatabaseCompare compare) {
        if (pgBin != null) {
            try {
                compare.clientTools(pgBin);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--pg-bin: " + FlagWording.rewrite(e.getMessage()));
            }
        }
        return compare;
    }
}
