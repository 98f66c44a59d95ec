package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SQL a split part runs selects, on a real server, exactly the rows the range model says ({@link PartRangeTest}
 * proves the model covers every value once): key ranges with NULLs, extremes and values outside the bounds read at
 * plan time, and page ranges on a heap with emptied pages and pages past those counted at plan time. Many random
 * cuts, seeded, each checked row by row.
 */
@ExtendWith(PostgresPairExtension.class)
class PartRangeSqlIT {
    private static final long SEED = 20261206L;

    @Test
    void keyPredicatesSelectTheRowsOfTheirRange(DatabasePair pair) throws SQLException {
        TestDatabase db = pair.source();
        db.execute("""
                CREATE TABLE public.k (k bigint);
                INSERT INTO public.k SELECT CASE WHEN g % 17 = 0 THEN NULL ELSE (g * 7919) % 20001 - 10000 END
                  FROM generate_series(1, 5000) g;
                INSERT INTO public.k VALUES (-9223372036854775808), (9223372036854775807), (NULL), (0), (-1), (1);
                """);
        Random random = new Random(SEED);
        long[][] windows = {{-10000, 10000}, {-9223372036854775808L, 9223372036854775807L}, {-50, 50}, {7, 7},
                {9000, 9223372036854775807L}, {-9223372036854775808L, -9000}};
        int checked = 0;
        for (int c = 0; c < 60; c++) {
            long[] w = c < windows.length ? windows[c] : randomWindow(random);
            int wanted = 1 + random.nextInt(12);
            List<PartRange> ranges = PartRange.cut(w[0], w[1], wanted, true);

            checked += checkRows(db, "SELECT k", "public.k", ranges, r -> r.keyPredicate("k"),
                    "bounds " + w[0] + ".." + w[1] + ", " + wanted + " wanted");
        }
        assertThat(checked).isGreaterThan(60 * 5000);
    }

    @Test
    void pagePredicatesSelectTheRowsOnTheirPages(DatabasePair pair) throws SQLException {
        TestDatabase db = pair.source();
        db.execute("""
                CREATE TABLE public.p (a int, b text) WITH (autovacuum_enabled = false);
                INSERT INTO public.p SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 30000) g;
                DELETE FROM public.p WHERE a BETWEEN 3000 AND 9000 OR a % 11 = 0;
                """);
        long pages = db.queryForLong("SELECT pg_relation_size('public.p') / current_setting('block_size')::bigint");
        assertThat(pages).as("a heap of many pages").isGreaterThan(100);
        Random random = new Random(SEED);
        int checked = 0;
        for (int c = 0; c < 40; c++) {
            // As counted at plan time: all the pages, or fewer (the heap grew since) — the last part takes the rest.
            long planned = c % 2 == 0 ? pages : 2 + random.nextInt((int) pages - 2);
            int wanted = 1 + random.nextInt(16);
            List<PartRange> ranges = PartRange.cut(0, planned - 1, wanted, false);

            checked += checkRows(db, "SELECT (ctid::text::point)[0]::bigint", "public.p", ranges,
                    PartRange::pagePredicate, planned + " pages planned of " + pages + ", " + wanted + " wanted");
        }
        assertThat(checked).isGreaterThan(40 * 10000);
        List<PartRange> three = PartRange.cut(0, pages - 1, 3, false);
        String plan = explain(db, "SELECT a FROM ONLY public.p WHERE " + three.get(1).pagePredicate());
        assertThat(plan).as("a middle part reads its pages only").contains("Tid Range Scan");
    }

    /**
     * Reads every row's value ({@code select}) and, for each range, whether its predicate holds (NULL counting as
     * false, as in a WHERE clause), and checks it against the model; returns how many rows were checked.
     */
    private static int checkRows(TestDatabase db, String select, String table, List<PartRange> ranges,
            Function<PartRange, String> predicate, String what) throws SQLException {
        StringBuilder sql = new StringBuilder(select);
        for (PartRange r : ranges) {
            sql.append(", coalesce((").append(predicate.apply(r)).append("), false)");
        }
        sql.append(" FROM ONLY ").append(table);
        int rows = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                long v = rs.getLong(1);
                Long value = rs.wasNull() ? null : v;
                int in = 0;
                for (int i = 0; i < ranges.size(); i++) {
                    boolean sqlSays = rs.getBoolean(i + 2);
                    if (sqlSays != ranges.get(i).contains(value)) {
                        fail("%s: the server says %s for %s in %s (%s)", what, sqlSays, value, ranges.get(i),
                                predicate.apply(ranges.get(i)));
                    }
                    in += sqlSays ? 1 : 0;
                }
                if (in != 1) {
                    fail("%s: row %s selected by %s parts", what, value, in);
                }
                rows++;
            }
        }
        return rows;
    }

    private static long[] randomWindow(Random random) {
        long a = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(30000) - 15000;
        long b = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(30000) - 15000;
        return new long[] {Math.min(a, b), Math.max(a, b)};
    }

    private static String explain(TestDatabase db, String query) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("\n", lines);
    }
}
