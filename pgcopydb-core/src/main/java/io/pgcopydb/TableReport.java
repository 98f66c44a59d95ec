package io.pgcopydb;

import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.model.QualifiedName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one table.
 *
 * @param oid the table's OID on the source
 * @param name the table
 * @param parts number of COPY parts
 * @param outcome the copy's outcome ({@link Outcome#FAILED} if any part failed)
 * @param rows rows copied
 * @param bytes bytes of COPY data moved
 * @param copyDuration sum of the parts' COPY durations
 * @param indexes number of indexes built for the table
 * @param indexDuration sum of the table's index build durations
 * @param vacuumDuration the table's {@code VACUUM ANALYZE} duration ({@link Duration#ZERO} when not run)
 * @param copyFormat the COPY format the run chose for the table's rows ({@link CopyFormat#BINARY} where both
 *     servers read every column's type the same way, when binary was considered —
 *     {@link CopyBuilder#useCopyBinary()}, or the default from 64 MB of tables — else {@link CopyFormat#TEXT}; a
 *     replaced {@code CopyStreamer} may not follow it)
 * @param fallbackReason why the table's rows move in text although binary was allowed
 *     (the servers' versions or encodings differ, or a column's type, named with its column); empty otherwise
 */
public record TableReport(long oid, QualifiedName name, int parts, Outcome outcome, long rows, long bytes,
        Duration copyDuration, int indexes, Duration indexDuration, Duration vacuumDuration, CopyFormat copyFormat,
        Optional<String> fallbackReason) {

    /** Checks the format and reason are present. */
    public TableReport {
        Objects.requireNonNull(copyFormat, "copyFormat");
        Objects.requireNonNull(fallbackReason, "fallbackReason");
    }

    /** A table copied in text, binary not asked. */
    public TableReport(long oid, QualifiedName name, int parts, Outcome outcome, long rows, long bytes,
            Duration copyDuration, int indexes, Duration indexDuration, Duration vacuumDuration) {
        this(oid, name, parts, outcome, rows, bytes, copyDuration, indexes, indexDuration, vacuumDuration,
                CopyFormat.TEXT, Optional.empty());
    }
}
