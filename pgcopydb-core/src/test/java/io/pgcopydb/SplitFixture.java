package io.pgcopydb;

/** The tables the split tests share: an integer key, a text key, and most bytes in TOAST (no key). */
public final class SplitFixture {
    /** {@code ints} (bigint key), {@code texts} (text key) and {@code toasty} (no key, ~5 kB of TOAST a row). */
    public static final String TABLES = """
            CREATE TABLE public.ints (id bigint PRIMARY KEY, v text);
            INSERT INTO public.ints SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 20000) g;
            CREATE TABLE public.texts (code text PRIMARY KEY, v text);
            INSERT INTO public.texts SELECT 'c' || g, repeat(md5(g::text), 3) FROM generate_series(1, 20000) g;
            CREATE TABLE public.toasty (id int, body text);
            ALTER TABLE public.toasty ALTER COLUMN body SET STORAGE EXTERNAL;
            INSERT INTO public.toasty SELECT g, (SELECT string_agg(md5(g::text || '/' || i), '')
              FROM generate_series(1, 100) i) FROM generate_series(1, 1500) g;
            """;

    private SplitFixture() {
    }
}
