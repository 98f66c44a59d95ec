package io.pgcopydb.testkit.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding for the user and database parts of a libpq URI. */
public final class Urls {
    private Urls() {
    }

    /** {@code part} percent-encoded for a libpq URI, with spaces as {@code %20}. */
    public static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
