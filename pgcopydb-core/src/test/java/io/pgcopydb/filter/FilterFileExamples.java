package io.pgcopydb.filter;

/** pgcopydb's documented filter files, shared by the filter tests. */
public final class FilterFileExamples {
    /** pgcopydb's documentation (docs/ref/pgcopydb_config.rst), the inclusion example. */
    public static final String DOCS_INCLUSION = """
            [include-only-table]
            public.allcols
            public.csv
            public.serial
            public.xzero

            [exclude-index]
            public.foo_gin_tsvector

            [exclude-table-data]
            public.csv
            """;

    /** pgcopydb's documentation, the exclusion example. */
    public static final String DOCS_EXCLUSION = """
            [exclude-schema]
            foo
            bar
            expected

            [exclude-table]
            "schema"."name"
            schema.othername
            err.errors
            public.serial

            [exclude-index]
            schema.indexname

            [exclude-table-data]
            public.bar
            nsitra.test1
            """;

    private FilterFileExamples() {
    }
}
