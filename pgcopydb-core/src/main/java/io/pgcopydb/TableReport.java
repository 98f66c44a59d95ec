package io.pgcopydb;

import io.pgcopydb.model.QualifiedName;
import java.time.Duration;

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
 */
public record TableReport(long oid, QualifiedName name, int parts, Outcome outcome, long rows, long bytes,
        Duration copyDuration, int indexes, Duration indexDuration, Duration vacuumDuration) {
}
