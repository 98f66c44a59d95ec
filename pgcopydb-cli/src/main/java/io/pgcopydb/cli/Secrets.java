package io.pgcopydb.cli;

import java.util.regex.Pattern;

/**
 * Masks passwords in text about to be printed. The library's messages never hold one, and the commands print
 * connection strings only through {@code ConnectionSpec.toString()}; this is the last line of defence for text
 * that echoes what the user typed, such as picocli's "unmatched argument" errors.
 */
final class Secrets {
    /** {@code scheme://user:password@}: keeps the user, masks the password. */
    private static final Pattern URI_PASSWORD = Pattern.compile("(://[^:/@\\s]*):[^@\\s]*@");
    /** {@code password=…} in conninfo strings and query parameters, {@code sslpassword} too. */
    private static final Pattern KEYWORD_PASSWORD = Pattern.compile(
            "(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|[^\\s&]*)");

    private Secrets() {
    }

    /** {@code text} with every password-looking part replaced by {@code ****}. */
    static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = URI_PASSWORD.matcher(text).replaceAll("$1:****@");
        return KEYWORD_PASSWORD.matcher(masked).replaceAll("$1****");
    }
}
