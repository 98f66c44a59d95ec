package io.pgcopydb.internal.state;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished unit of a copy as the {@link Journal} records it, one line each: {@code kind<TAB>key<TAB>detail}.
 * The key identifies the unit (a source OID, {@code oid/part} for a table part, the run id for run lines); the
 * detail carries what a resumed run reports again (rows and bytes of a part, say). Keys are source OIDs, stable
 * on the same source server.
 */
public sealed interface JournalEntry {

    /** What a journal line says was finished: the first field of the line. */
    enum Kind {
        /** A run started writing: the following lines are its. */
        RUN,
        /** Pre-data restored, extension configuration and roles included. */
        PRE_DATA,
        /** Extensions created and their configuration copied, by the extensions step run alone. */
        EXTENSIONS,
        /** A table part's COPY committed. */
        PART,
        /**
         * A table split by pages was emptied before its parts were copied: the parts of that table recorded before
         * this line no longer count.
         */
        TRUNCATED,
        /** An index built. */
        INDEX,
        /** A constraint attached. */
        CONSTRAINT,
        /** A table vacuumed. */
        VACUUM,
        /** Large objects copied. */
        LARGE_OBJECTS,
        /** Post-data restored. */
        POST_DATA,
        /** The copy finished. */
        DONE,
        /**
         * A run-wide unit recorded earlier must be done again (its key names the unit's kind): a resumed run
         * undid part of it. Later lines may record it finished again.
         */
        UNDONE
    }

    /** The three fields of the entry's line. */
    Line line();

    /** The line's kind. */
    default Kind kind() {
        return line().kind();
    }

    /** The unit's key, unique within its kind. */
    default String key() {
        return line().key();
    }

    /**
     * The fields of a journal line.
     *
     * @param kind what was finished
     * @param key which unit: unique within its kind
     * @param detail what a resumed run needs to know of it
     */
    record Line(Kind kind, String key, String detail) {
    }

    /**
     * A run started writing to the target.
     *
     * @param pair the source/target pair ({@link WorkDirectory#pairKey}): a resume with another pair's directory
     *     is refused
     */
    record RunStarted(String runId, Instant startedAt, String pair) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.RUN, runId, startedAt + " " + pair);
        }
    }

    /** Pre-data restored. */
    record PreDataRestored() implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.PRE_DATA, "", "");
        }
    }

    /** Extensions created and their configuration tables copied (the extensions step run alone). */
    record ExtensionsCreated() implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.EXTENSIONS, "", "");
        }
    }

    /** Part {@code part} (1-based) of a table committed {@code rows} rows in {@code bytes} bytes of COPY data. */
    record PartCopied(long tableOid, int part, long rows, long bytes) implements JournalEntry {
        /** The key of a table part. */
        public static String key(long tableOid, int part) {
            return tableOid + "/" + part;
        }

        @Override
        public Line line() {
            return new Line(Kind.PART, key(tableOid, part), rows + " " + bytes);
        }
    }

    /**
     * The table {@code tableOid}, split by pages into {@code parts} parts, was emptied on the target before they were
     * copied (again): its parts recorded before this line are gone from the target, and it is complete once parts
     * 1 to {@code parts} are recorded after it. {@code table} is for people reading the file.
     */
    record TableTruncated(long tableOid, int parts, String table) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.TRUNCATED, Long.toString(tableOid), parts + " " + table);
        }
    }

    /** An index built; {@code name} is for people reading the file. */
    record IndexBuilt(long indexOid, String name) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.INDEX, Long.toString(indexOid), name);
        }
    }

    /** A constraint attached; {@code description} ({@code table name}) is for people reading the file. */
    record ConstraintAttached(long constraintOid, String description) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.CONSTRAINT, Long.toString(constraintOid), description);
        }
    }

    /** A table vacuumed. */
    record TableVacuumed(long tableOid, String table) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.VACUUM, Long.toString(tableOid), table);
        }
    }

    /** {@code count} large objects copied, {@code bytes} of data. */
    record LargeObjectsCopied(long count, long bytes) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.LARGE_OBJECTS, "", count + " " + bytes);
        }
    }

    /** Post-data restored. */
    record PostDataRestored() implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.POST_DATA, "", "");
        }
    }

    /** The copy finished. */
    record CopyFinished(String runId, Instant finishedAt) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.DONE, runId, finishedAt.toString());
        }
    }

    /**
     * The run-wide unit {@code unit} (post-data) is no longer finished: a resumed run took part of it away, and
     * a run that resumes this one must do it again even if this one is killed before it does.
     */
    record Undone(Kind unit) implements JournalEntry {
        @Override
        public Line line() {
            return new Line(Kind.UNDONE, unit.name(), "");
        }
    }

    /**
     * The entry a line's three fields describe.
     *
     * @throws IllegalArgumentException when the fields do not fit the kind (such a line is treated as torn)
     */
    static JournalEntry decode(Kind kind, String key, String detail) {
        Objects.requireNonNull(kind, "kind");
        try {
            return switch (kind) {
                case RUN -> new RunStarted(key, Instant.parse(before(detail)), after(detail));
                case PRE_DATA -> new PreDataRestored();
                case EXTENSIONS -> new ExtensionsCreated();
                case PART -> new PartCopied(Long.parseLong(before(key, '/')), Integer.parseInt(after(key, '/')),
                        Long.parseLong(before(detail)), Long.parseLong(after(detail)));
                case TRUNCATED -> new TableTruncated(Long.parseLong(key), Integer.parseInt(before(detail)),
                        after(detail));
                case INDEX -> new IndexBuilt(Long.parseLong(key), detail);
                case CONSTRAINT -> new ConstraintAttached(Long.parseLong(key), detail);
                case VACUUM -> new TableVacuumed(Long.parseLong(key), detail);
                case LARGE_OBJECTS -> new LargeObjectsCopied(Long.parseLong(before(detail)),
                        Long.parseLong(after(detail)));
                case POST_DATA -> new PostDataRestored();
                case DONE -> new CopyFinished(key, Instant.parse(detail));
                case UNDONE -> new Undone(Kind.valueOf(key));
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a " + kind + " line: " + key + " / " + detail, e);
        }
    }

    private static String before(String s) {
        return before(s, ' ');
    }

    private static String after(String s) {
        return after(s, ' ');
    }

    private static String before(String s, char separator) {
        int i = s.indexOf(separator);
        if (i < 0) {
            throw new IllegalArgumentException("no '" + separator + "' in " + s);
        }
        return s.substring(0, i);
    }

    private static String after(String s, char separator) {
        return s.substring(s.indexOf(separator) + 1);
    }
}
