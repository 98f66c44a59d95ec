package io.pgcopydb.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgcopydb.filter.Filters.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterFileTest {

    /** The example of pgcopydb-study.md §4.1. */
    static final String STUDY_EXAMPLE = """
            [include-only-schema]
            public
            ~/^tenant_[0-9]+$/
            [exclude-index]
            public.big_gin_idx
            [exclude-table-data]
            public.audit_log
            """;

    @Test
    void readsTheStudyExample() {
        Filters f = FilterFile.parse(STUDY_EXAMPLE);

        assertThat(f).isEqualTo(Filters.none().includeOnlySchema("public", "~/^tenant_[0-9]+$/")
                .excludeIndex("public.big_gin_idx").excludeTableData("public.audit_log"));
        assertThat(f.entries(Section.INCLUDE_ONLY_SCHEMA).get(1).isPattern()).isTrue();
    }

    @Test
    void readsBothExamplesOfPgcopydbsDocumentation() {
        assertThat(FilterFile.parse(FilterFileExamples.DOCS_INCLUSION)).isEqualTo(Filters.none()
                .includeOnlyTable("public.allcols", "public.csv", "public.serial", "public.xzero")
                .excludeIndex("public.foo_gin_tsvector").excludeTableData("public.csv"));

        Filters exclusion = FilterFile.parse(FilterFileExamples.DOCS_EXCLUSION);
        assertThat(exclusion.excludedSchemas()).containsExactly("foo", "bar", "expected");
        assertThat(exclusion.excludedTables()).containsExactly("\"schema\".\"name\"", "schema.othername",
                "err.errors", "public.serial");
        assertThat(exclusion.entries(Section.EXCLUDE_TABLE).get(0).matches("schema", "name")).isTrue();
        assertThat(exclusion.excludedIndexes()).containsExactly("schema.indexname");
        assertThat(exclusion.excludedTableData()).containsExactly("public.bar", "nsitra.test1");
    }

    @Test
    void readsPgcopydbsOwnTestFilesWithCommentsAndRegexSections() {
        // tests/filtering/exclude.ini and include.ini of pgcopydb (regex entries as in its v0.18 suite).
        Filters exclude = FilterFile.parse("""
                [exclude-schema]
                public
                bar
                schema_name_20_chars

                [exclude-table]
                ; public.actor
                ; public.rental
                foo.test_tbl_2
                foo.~/^tbl/
                app.foo
                foo.matview_1_exclude_as_table

                [exclude-table-data]
                foo.matview_1_exclude_data
                partitioned_tables.sellers_archive
                """);
        Filters include = FilterFile.parse("""
                [include-only-schema]
                public
                schema_name_20_chars
                ~/^seq$/

                [include-only-table]
                public.actor
                public.rental
                schema_name_20_chars.very______long______table______name_______50_chars

                [exclude-index]
                public.idx_actor_last_name

                [exclude-table-data]
                public.rental
                """);
        Filters extensions = FilterFile.parse("""
                ; Extension filtering carries no filter type of its own.

                [exclude-extension]
                plpgsql
                """);

        assertThat(exclude.excludedTables()).containsExactly("foo.test_tbl_2", "foo.~/^tbl/", "app.foo",
                "foo.matview_1_exclude_as_table");
        assertThat(include.includedSchemas()).containsExactly("public", "schema_name_20_chars", "~/^seq$/");
        assertThat(include.includedTables()).hasSize(3);
        assertThat(extensions).isEqualTo(Filters.none().excludeExtension("plpgsql"));
    }

    @Test
    void readsEverySection() {
        Filters f = FilterFile.parse("""
                [include-only-schema]
                public
                [include-only-table]
                public.a
                [exclude-table-data]
                public.a
                [exclude-index]
                public.a_idx
                [include-only-extension]
                hstore
                """);
        Filters g = FilterFile.parse("""
                [exclude-schema]
                bar
                [exclude-table]
                public.b
                [exclude-extension]
                postgis
                """);

        assertThat(f).isEqualTo(Filters.none().includeOnlySchema("public").includeOnlyTable("public.a")
                .excludeTableData("public.a").excludeIndex("public.a_idx").includeOnlyExtension("hstore"));
        assertThat(g).isEqualTo(Filters.none().excludeSchema("bar").excludeTable("public.b")
                .excludeExtension("postgis"));
    }

    @Test
    void commentsBlankLinesWhitespaceAndLineEndings() {
        Filters f = FilterFile.parse("\uFEFF; leading comment\r\n"
                + "# hash comment too\r\n"
                + "\r\n"
                + "  [exclude-table]   ; why we exclude\r\n"
                + "\t public.a \t\r\n"
                + "   ; public.commented_out\r\n"
                + "\"Sales\".\"Order Lines\"\r\n"
                + "public.~{^tmp_}\r\n"
                + "public.last_without_newline");

        assertThat(f.excludedTables()).containsExactly("public.a", "\"Sales\".\"Order Lines\"", "public.~{^tmp_}",
                "public.last_without_newline");
    }

    @Test
    void valuesAreIgnoredAsPgcopydbsIniReaderDoes() {
        Filters f = FilterFile.parse("""
                [exclude-table]
                public.a = yes
                public.b=
                public.~/x=y/
                """);

        assertThat(f.excludedTables()).containsExactly("public.a", "public.b", "public.~/x=y/");
    }

    @Test
    void regexWithSeveralDelimitersInOneFile() {
        Filters f = FilterFile.parse("""
                [include-only-schema]
                ~/^tenant_/
                ~[^shop$]
                ~|^a/b$|
                [exclude-table]
                ~(^log).~/_bak$/
                ~#^arch#.~'^old_'
                """);

        assertThat(f.entries(Section.INCLUDE_ONLY_SCHEMA).get(2).matches("a/b")).isTrue();
        assertThat(f.entries(Section.EXCLUDE_TABLE).get(0).matches("logs", "t_bak")).isTrue();
        assertThat(f.entries(Section.EXCLUDE_TABLE).get(0).matches("public", "t_bak")).isFalse();
        assertThat(f.entries(Section.EXCLUDE_TABLE).get(1).matches("archive", "old_orders")).isTrue();
    }

    @Test
    void unknownSectionNamesTheLineAndTheKnownSections() {
        assertThatThrownBy(() -> FilterFile.parse("[exclude-table]\npublic.a\n\n[exclude-tables]\npublic.b\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 4: unknown section [exclude-tables]; known sections: [include-only-schema],"
                        + " [exclude-schema], [include-only-table], [exclude-table], [exclude-table-data],"
                        + " [exclude-index], [include-only-extension], [exclude-extension]");
        assertThatThrownBy(() -> FilterFile.parse("[Exclude-Table]\npublic.a\n"))
                .hasMessageStartingWith("line 1: unknown section [Exclude-Table] (section names are lower case,"
                        + " without spaces)");
    }

    @Test
    void structuralErrorsNameTheLine() {
        assertThatThrownBy(() -> FilterFile.parse("; header\npublic.a\n[exclude-table]\n"))
                .hasMessage("line 2: entry \"public.a\" is outside any section; put it under one of"
                        + " [include-only-schema], [exclude-schema], [include-only-table], [exclude-table],"
                        + " [exclude-table-data], [exclude-index], [include-only-extension], [exclude-extension]");
        assertThatThrownBy(() -> FilterFile.parse("[exclude-table\npublic.a\n"))
                .hasMessage("line 1: section header [exclude-table has no closing ]");
        assertThatThrownBy(() -> FilterFile.parse("[exclude-table] public.a\n"))
                .hasMessageStartingWith("line 1: unexpected \"public.a\" after the section header");
        assertThatThrownBy(() -> FilterFile.parse("[exclude-table]\npublic.a\n[exclude-schema]\nbar\n"
                + "[exclude-table]\npublic.b\n"))
                .hasMessage("line 5: section [exclude-table] already started at line 1 (pgcopydb reads only the"
                        + " first one); merge the two sections");
    }

    @Test
    void entryErrorsNameTheLine() {
        assertThatThrownBy(() -> FilterFile.parse("[exclude-table]\n\n; c\npublic.\n"))
                .hasMessageStartingWith("line 4: excludeTable \"public.\" is malformed: the name after the dot");
        assertThatThrownBy(() -> FilterFile.parse("[exclude-schema]\n~/(unclosed/\n"))
                .hasMessageStartingWith("line 2: excludeSchema \"~/(unclosed/\" is malformed: invalid regular"
                        + " expression \"(unclosed\"");
        assertThatThrownBy(() -> FilterFile.parse("[include-only-schema]\npublic\n[exclude-schema]\nbar\n"))
                .hasMessageStartingWith("line 4: excludeSchema \"bar\" contradicts includeOnlySchema \"public\"");
        assertThatThrownBy(() -> FilterFile.parse("[exclude-table]\n= x\n"))
                .hasMessageStartingWith("line 2: excludeTable entry is blank");
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("filters.ini");
        Files.writeString(file, STUDY_EXAMPLE);
        Path bad = dir.resolve("bad.ini");
        Files.writeString(bad, "[exclude-table]\nnodot\n");

        assertThat(FilterFile.read(file)).isEqualTo(FilterFile.parse(STUDY_EXAMPLE));
        assertThatThrownBy(() -> FilterFile.read(bad))
                .hasMessageStartingWith(bad + " line 2: excludeTable \"nodot\" is malformed");
        assertThatThrownBy(() -> FilterFile.read(dir.resolve("missing.ini"))).isInstanceOf(IOException.class);
    }

    @Test
    void formatWritesAFileThatReadsBackTheSame() {
        Filters f = Filters.none().excludeTableData("public.audit_log").includeOnlySchema("public", "~/^t_/")
                .excludeIndex("\"Sales\".\"Big Idx\"").excludeExtension("postgis");

        String text = FilterFile.format(f);

        assertThat(text).isEqualTo("""
                [include-only-schema]
                public
                ~/^t_/

                [exclude-table-data]
                public.audit_log

                [exclude-index]
                "Sales"."Big Idx"

                [exclude-extension]
                postgis
                """);
        assertThat(FilterFile.parse(text)).isEqualTo(f);
        assertThat(FilterFile.format(Filters.none())).isEmpty();
    }
}
