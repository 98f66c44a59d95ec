package io.pgcopydb.internal.compare;

import io.pgcopydb.internal.compare.SchemaSnapshot.SchemaObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a procedure's definition read by a server of 14 or later comparable with one read by an older server.
 * PostgreSQL 14 gave procedures {@code OUT} arguments and since then {@code pg_get_functiondef} writes the
 * {@code IN} mode of a procedure's arguments ({@code archive_orders(IN cutoff timestamptz)} where 12 printed
 * {@code archive_orders(cutoff timestamptz)}), so every procedure copied from 12 or 13 into 14+ showed a definition
 * difference that is only printing. On the newer side's text only, and only in a procedure's argument list, a
 * leading {@code IN } of an argument is taken out (an older server writes no mode for those); {@code INOUT},
 * {@code VARIADIC} and everything after the argument list are left as read and still compared.
 */
final class ProcedureArguments {
    private static final int IN_PRINTED_SINCE = 140000;

    private ProcedureArguments() {
    }

    /**
     * {@code snapshot} with {@code IN } taken out of its procedures' argument lists, when it was read from a server
     * of 14 or later and {@code otherVersion} is older; else the same snapshot.
     */
    static SchemaSnapshot comparableWith(SchemaSnapshot snapshot, int otherVersion) {
        if (snapshot.serverVersion() < IN_PRINTED_SINCE || otherVersion == 0 || otherVersion >= IN_PRINTED_SINCE) {
            return snapshot;
        }
        SchemaSnapshot out = new SchemaSnapshot(snapshot.serverVersion());
        for (SchemaObject o : snapshot.objects().values()) {
            Map<String, String> aspects = new TreeMap<>(o.aspects());
            if (o.name().startsWith("procedure ")) {
                aspects.computeIfPresent("definition", (k, sql) -> withoutInModes(sql));
            }
            out.add(o.name(), o.parents(), aspects);
        }
        return out;
    }

    /** {@code definition} with the {@code IN } of each argument of its first argument list taken out. */
    static String withoutInModes(String definition) {
        int open = definition.indexOf('(');
        if (open < 0) {
            return definition;
        }
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        char quote = 0;
        for (int i = open + 1; i < definition.length(); i++) {
            char ch = definition.charAt(i);
            if (quote != 0) {
                quote = ch == quote ? 0 : quote;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')' && depth > 0) {
                depth--;
            } else if ((ch == ',' || ch == ')') && depth == 0) {
                arguments.add(definition.substring(start, i));
                start = i + 1;
                if (ch == ')') {
                    StringBuilder out = new StringBuilder(definition.substring(0, open + 1));
                    for (int a = 0; a < arguments.size(); a++) {
                        String argument = arguments.get(a);
                        String lead = argument.substring(0, argument.length() - argument.stripLeading().length());
                        String body = argument.stripLeading();
                        out.append(a > 0 ? "," : "").append(lead).append(body.startsWith("IN ") ? body.substring(3) : body);
                    }
                    return out.append(definition.substring(i)).toString();
                }
            }
        }
        return definition;
    }
}
