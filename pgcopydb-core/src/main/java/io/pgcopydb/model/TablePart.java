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
 * @param predicate SQL condition selecting this part's rows on the source; empty for a whole table
 * @param split how the part's rows are chosen, which decides how a part that may have committed is done again
 */
public record TablePart(SourceTable table, int number, int count, Optional<String> predicate, Split split) {

    /** How a table's rows are divided between its parts. */
    public enum Split {
        /** Not split: one part, whose COPY empties the table in its own transaction. */
        NONE,
        /**
         * By the rows' values (ranges of a key): the predicate finds the same rows on the target, so a part that may
         * have committed is done again after deleting the rows it selects there.
         */
        BY_VALUE,
        /**
         * By the rows' place on the source (ranges of pages, {@code ctid}): the predicate means nothing on the
         * target, where the rows sit elsewhere, so a table of which a part may have committed is emptied and all its
         * parts are copied again.
         */
        BY_PAGE
    }

    /** Validates numbering: one part is the whole table ({@link Split#NONE}), several parts need a predicate. */
    public TablePart {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(predicate, "predicate");
        Objects.requireNonNull(split, "split");
        checkArgument(count >= 1 && number >= 1 && number <= count, "part %s of %s is out of range", number, count);
        checkArgument(count == 1 || predicate.isPresent(), "a split part needs a predicate");
        checkArgument((count == 1) == (split == Split.NONE), "part %s of %s cannot be split %s", number, count, split);
    }

    /**
     * A part whose predicate is a condition on the rows' values: {@link Split#BY_VALUE} when the table has several
     * parts, {@link Split#NONE} when it has one.
     */
    public TablePart(SourceTable table, int number, int count, Optional<String> predicate) {
        this(table, number, count, predicate, count == 1 ? Split.NONE : Split.BY_VALUE);
    }

    /** The single part of an unsplit table. */
    public static TablePart whole(SourceTable table) {
        return new TablePart(table, 1, 1, Optional.empty(), Split.NONE);
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
