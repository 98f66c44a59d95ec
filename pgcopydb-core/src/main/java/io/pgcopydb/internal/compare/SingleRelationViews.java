package io.pgcopydb.internal.compare;

import io.pgcopydb.internal.compare.SchemaSnapshot.SchemaObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a view's definition read by a server older than 16 comparable with one read by 16 or later. From 16 on,
 * {@code pg_get_viewdef} no longer qualifies the columns of a query over a single relation
 * ({@code SELECT id FROM public.orders WHERE (amount > 0)} where 15 printed
 * {@code SELECT orders.id FROM public.orders WHERE (orders.amount > 0)}), so a view copied from 12, 14 or 15 into
 * 16+ showed a definition difference that is only printing. On the older side's text only, and only for a query
 * with one {@code FROM} item and no join or subquery, the qualifier of that item ({@code orders.} or its alias) is
 * taken out; anything else is left as read and still compared.
 */
final class SingleRelationViews {
    private static final String IDENT = "(?:[a-z_][a-z0-9_$]*|\"(?:[^\"]|\"\")+\")";
    /** {@code FROM [schema.]relation [[AS] alias]} followed by a clause keyword or the end. */
    private static final Pattern FROM = Pattern.compile("\\bFROM (?:" + IDENT + "\\.)?(" + IDENT + ")(?: (?:AS )?(?!WHERE\\b|GROUP\\b|ORDER\\b|HAVING\\b|LIMIT\\b|OFFSET\\b|WINDOW\\b|WITH\\b|FOR\\b)(" + IDENT + "))?(?=$|;| WHERE | GROUP BY | ORDER BY | HAVING | LIMIT | OFFSET | WINDOW | WITH | FOR )");
    private static final int UNQUALIFIED_SINCE = 160000;

    private SingleRelationViews() {
    }

    /**
     * {@code snapshot} with its views' and materialized views' definitions unqualified as above, when it was read
     * from a server older than 16 and {@code otherVersion} is 16 or later; else the same snapshot.
     */
    static SchemaSnapshot comparableWith(SchemaSnapshot snapshot, int otherVersion) {
        int version = snapshot.serverVersion();
        if (version == 0 || version >= UNQUALIFIED_SINCE || otherVersion < UNQUALIFIED_SINCE) {
            return snapshot;
        }
        SchemaSnapshot out = new SchemaSnapshot(version);
        for (SchemaObject o : snapshot.objects().values()) {
            Map<String, String> aspects = new TreeMap<>(o.aspects());
            if (o.name().startsWith("view ") || o.name().startsWith("materialized view ")) {
                aspects.computeIfPresent("definition", (k, sql) -> unqualified(sql));
            }
            out.add(o.name(), o.parents(), aspects);
        }
        return out;
    }

    /** {@code sql} without its single relation's qualifier; unchanged when it has a join, a subquery or two FROMs. */
    static String unqualified(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        if (count(flat, " FROM ") + count(flat, "(FROM ") != 1 || flat.contains(" JOIN ") || flat.contains("(SELECT ")
                || flat.contains(" UNION ") || flat.contains(" INTERSECT ") || flat.contains(" EXCEPT ")) {
            return sql;
        }
        Matcher m = FROM.matcher(flat);
        if (!m.find()) {
            return sql;
        }
        String qualifier = m.group(2) != null ? m.group(2) : m.group(1);
        // Only where a column reference can start: after white space, an opening parenthesis or a comma.
        return sql.replaceAll("(?<=[\\s(,])" + Pattern.quote(qualifier) + "\\.(?=[a-z_\"])", "");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
