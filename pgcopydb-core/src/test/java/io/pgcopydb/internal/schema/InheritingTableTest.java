package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.QualifiedName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InheritingTableTest {
    private static final QualifiedName PARENT = new QualifiedName("app", "parent");
    private static final QualifiedName OTHER = new QualifiedName("app", "Other Parent");

    /** Created alone as (extra, name, id), attached to parent (id, name), which then gained "added". */
    private static final InheritingTable CHILD = new InheritingTable(new QualifiedName("app", "child"),
            List.of(PARENT, OTHER), List.of(1L, 2L), List.of(
                    new InheritingTable.Column("extra", true, false, "extra integer"),
                    new InheritingTable.Column("name", true, true, "name text"),
                    new InheritingTable.Column("id", false, true, "id integer NOT NULL"),
                    new InheritingTable.Column("o", false, false, "o text COLLATE pg_catalog.\"C\""),
                    new InheritingTable.Column("added", false, false, "added public.ltree")));

    private static final String PG_DUMP = """
            --
            -- Name: child; Type: TABLE; Schema: app; Owner: postgres
            --

            CREATE UNLOGGED TABLE app.child (
                extra integer,
                name text DEFAULT ','::text,
                CONSTRAINT pk_chk CHECK ((id > 0))
            )
            INHERITS (app.parent, app."Other Parent")
            WITH (fillfactor='70')""";

    @Test
    void theOrderInheritsGivesIsTheParentsThenTheLocalColumns() {
        Map<Long, List<String>> parents = Map.of(1L, List.of("id", "name", "added"), 2L, List.of("o", "id"));

        assertThat(CHILD.orderByInherits(parents)).containsExactly("id", "name", "added", "o", "extra");
        assertThat(CHILD.order()).containsExactly("extra", "name", "id", "o", "added");
    }

    @Test
    void rewritesTheColumnsInTheSourcesOrderWithTheParentsChecksAndWithoutInherits() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("pk_chk", "CHECK ((id > 0))");
        checks.put("parent name", "CHECK ((name <> ''::text))");

        InheritingTable.Rewrite rewrite = CHILD.rewrite(PG_DUMP, checks).orElseThrow();

        assertThat(rewrite.createTable()).endsWith("""
                CREATE UNLOGGED TABLE app.child (
                    extra integer,
                    name text DEFAULT ','::text,
                    id integer NOT NULL,
                    o text COLLATE pg_catalog."C",
                    added public.ltree,
                    CONSTRAINT pk_chk CHECK ((id > 0)),
                    CONSTRAINT "parent name" CHECK ((name <> ''::text))
                )
                WITH (fillfactor='70')""");
        assertThat(rewrite.inheritedColumns()).containsExactly("id", "o", "added");
        assertThat(rewrite.addedConstraints()).containsExactly("parent name");
        assertThat(CHILD.notNullStatements()).containsExactly(
                "ALTER TABLE ONLY \"app\".\"child\" ALTER COLUMN \"name\" SET NOT NULL");
        assertThat(CHILD.inheritStatements()).containsExactly(
                "ALTER TABLE ONLY \"app\".\"child\" INHERIT \"app\".\"parent\"",
                "ALTER TABLE ONLY \"app\".\"child\" INHERIT \"app\".\"Other Parent\"");
    }

    @Test
    void aDefinitionWithOtherLocalColumnsIsNotRewritten() {
        assertThat(CHILD.rewrite(PG_DUMP.replace("extra integer,", "other integer,"), Map.of())).isEmpty();
        assertThat(CHILD.rewrite(PG_DUMP.replace("INHERITS (app.parent, app.\"Other Parent\")", ""), Map.of()))
                .isEmpty();
        assertThat(InheritingTable.isCreateTable(PG_DUMP)).isTrue();
        assertThat(InheritingTable.isCreateTable("-- x\nALTER TABLE app.child OWNER TO postgres")).isFalse();
    }
}
