package io.pgcopydb.internal.follow;

import java.util.Arrays;

/**
 * The column values of one row in a pgoutput message, in the order of its {@link PgOutputMessage.Relation}'s
 * columns: each is SQL {@code NULL} ({@code n}), an unchanged TOASTed value the message does not carry ({@code u}),
 * or the value's text form ({@code t}). Immutable.
 */
public final class TupleData {

    /** What a column of the tuple holds. */
    public enum Kind {
        /** SQL {@code NULL} ({@code n}). */
        NULL,
        /** A TOASTed value the update left alone and pgoutput did not send ({@code u}): never write it. */
        UNCHANGED_TOAST,
        /** The value's text form ({@code t}). */
        TEXT
    }

    private static final Kind[] KINDS = Kind.values();

    private final byte[] kinds;
    private final String[] texts;

    private TupleData(byte[] kinds, String[] texts) {
        this.kinds = kinds;
        this.texts = texts;
    }

    /** A builder for a tuple of {@code size} columns, all {@code NULL} until set. */
    public static Builder builder(int size) {
        return new Builder(size);
    }

    /** The number of columns. */
    public int size() {
        return kinds.length;
    }

    /** What column {@code i} holds. */
    public Kind kind(int i) {
        return KINDS[kinds[i]];
    }

    /** Whether column {@code i} is an unchanged TOASTed value (not sent). */
    public boolean unchanged(int i) {
        return kinds[i] == Kind.UNCHANGED_TOAST.ordinal();
    }

    /** Column {@code i}'s text, {@code null} for {@code NULL} and for an unchanged TOASTed value. */
    public String text(int i) {
        return texts[i];
    }

    /** Whether column {@code i} holds the same as column {@code i} of {@code other}. */
    public boolean sameValue(int i, TupleData other, int j) {
        return kinds[i] == other.kinds[j] && java.util.Objects.equals(texts[i], other.texts[j]);
    }

    /** The characters of the tuple's texts, a measure of its size in memory. */
    public long textLength() {
        long n = 0;
        for (String t : texts) {
            n += t == null ? 0 : t.length();
        }
        return n;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TupleData that && Arrays.equals(kinds, that.kinds) && Arrays.equals(texts, that.texts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kinds) * 31 + Arrays.hashCode(texts);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TupleData[");
        for (int i = 0; i < kinds.length; i++) {
            s.append(i == 0 ? "" : ", ");
            switch (kind(i)) {
                case NULL -> s.append("NULL");
                case UNCHANGED_TOAST -> s.append("(unchanged toast)");
                case TEXT -> s.append(texts[i].length() > 40 ? texts[i].substring(0, 40) + "…" : texts[i]);
            }
        }
        return s.append(']').toString();
    }

    /** Builds one {@link TupleData}; not reusable after {@link #build()}. */
    public static final class Builder {
        private final byte[] kinds;
        private final String[] texts;

        private Builder(int size) {
            kinds = new byte[size];
            texts = new String[size];
        }

        /** Column {@code i} is {@code NULL}. */
        public Builder nullValue(int i) {
            kinds[i] = (byte) Kind.NULL.ordinal();
            texts[i] = null;
            return this;
        }

        /** Column {@code i} is an unchanged TOASTed value. */
        public Builder unchanged(int i) {
            kinds[i] = (byte) Kind.UNCHANGED_TOAST.ordinal();
            texts[i] = null;
            return this;
        }

        /** Column {@code i} holds {@code text}. */
        public Builder text(int i, String text) {
            kinds[i] = (byte) Kind.TEXT.ordinal();
            texts[i] = java.util.Objects.requireNonNull(text, "text");
            return this;
        }

        /** The tuple. */
        public TupleData build() {
            return new TupleData(kinds, texts);
        }
    }
}
