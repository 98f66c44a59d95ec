package io.pgcopydb.model;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import java.util.Optional;

/**
 * A unit of COPY work: a whole table, or one slice of a table split for same-table concurrency.
 *
 * @param table the table
 * @param number 1-based part number
 * @param count number of parts of the table
 * @param predicate SQL condition selecting this part's rows; empty for a whole table
 */
public record TablePart(SourceTable table, int number, int count, Optional<String> predicate) {

    /** Validates numbering. */
    public TablePart {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(predicate, "predicate");
        checkArgument(count >= 1 && number >= 1 && number <= count, "part %s of %s is out of range", number, count);
        checkArgument(count == 1 || predicate.isPresent(), "a split part needs a predicate");
    }

    /** The single part of an unsplit table. */
    public static TablePart whole(SourceTable table) {
        return new TablePart(table, 1, 1, Optional.empty());
    }

    /**
     * This part's share of its table's on-disk size ({@link SourceTable#bytes()}), the unit the plan's totals and
     * progress are counted in: the parts of a table add up to exactly its size (the last part takes the remainder).
     * COPY moves a different number of bytes (text, not pages), reported separately.
     */
    public long bytes() {
        long share = table.bytes() / count;
        return number == count ? table.bytes() - share * (count - 1) : share;
    }

    /** Whether this part is the whole table. */
    public boolean isWholeTable() {
        return count == 1;
    }

    @Override
    public String toString() {
        return isWholeTable() ? table.name().toString() : table.name() + " [" + number + "/" + count + "]";
    }
}
