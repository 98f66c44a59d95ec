package io.pgcopydb.internal.follow;

/** WAL positions as PostgreSQL writes them ({@code 16/B374D848}): the two halves in hexadecimal. */
public final class Lsn {

    private Lsn() {
    }

    /** {@code 0/0}-style text of a WAL position. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /**
     * Reads {@code X/Y}.
     *
     * @throws IllegalArgumentException naming the text when it is not a WAL position
     */
    public static long parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("not a WAL position: '" + text + "' (expected X/Y in hexadecimal, e.g. 0/16B3748)");
        }
        try {
            return Long.parseLong(text.substring(0, slash), 16) << 32 | Long.parseLong(text.substring(slash + 1), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a WAL position: '" + text + "' (expected X/Y in hexadecimal, e.g. 0/16B3748)", e);
        }
    }
}
