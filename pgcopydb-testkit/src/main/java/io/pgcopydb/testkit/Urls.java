package io.pgcopydb.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding for the user and database parts of a libpq URI. */
final class Urls {
    private Urls() {
    }

    static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
