package io.pgcopydb.model;

/**
 * A sequence and its state as read in the source snapshot.
 *
 * @param oid the sequence's OID on the source
 * @param name the sequence's qualified name
 * @param lastValue {@code last_value}
 * @param isCalled {@code is_called}
 */
public record SequenceValue(long oid, QualifiedName name, long lastValue, boolean isCalled) {
}
