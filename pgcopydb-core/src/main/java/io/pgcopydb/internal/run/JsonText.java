package io.pgcopydb.internal.run;

import java.util.Locale;

/** JSON text for the reports' {@code toJson()}: the library writes its few JSON documents without a library. */
public final class JsonText {
    private JsonText() {
    }

    /**
     * {@code s} as a JSON string, quoted and escaped.
     *
     * @param s any text
     * @return the JSON string
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
