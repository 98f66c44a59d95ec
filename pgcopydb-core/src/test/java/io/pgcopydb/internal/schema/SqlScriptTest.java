package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsAtTheSemicolonsThatEndStatementsAndLeavesMetaCommandsOut() {
        String script = """
                \\restrict abc
                SET statement_timeout = 0;
                SELECT pg_catalog.set_config('search_path', '', false);

                --
                -- Name: f; Type: FUNCTION; Schema: app; Owner: postgres
                --

                CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $_$SELECT ';' || E'\\';' || 'it''s;'$_$;
                CREATE TABLE "a;b" ("x;" text DEFAULT ';' /* ; */);
                \\unrestrict abc
                """;

        List<String> statements = SqlScript.statements(script);

        assertThat(statements).extracting(SqlScript::withoutComments).containsExactly(
                "SET statement_timeout = 0",
                "SELECT pg_catalog.set_config('search_path', '', false)",
                "CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $_$SELECT ';' || E'\\';' || 'it''s;'$_$",
                "CREATE TABLE \"a;b\" (\"x;\" text DEFAULT ';'  )");
    }

    @Test
    void splitsAListAtItsTopLevelCommasAndReadsIdentifiers() {
        List<String> parts = SqlScript.splitTopLevel("\n    a numeric(10,2) DEFAULT ',',\n    \"We,ird\"\"\" text,\n"
                + "    CONSTRAINT \"c,1\" CHECK ((a > (0)::numeric))\n");

        assertThat(parts).containsExactly("a numeric(10,2) DEFAULT ','", "\"We,ird\"\"\" text",
                "CONSTRAINT \"c,1\" CHECK ((a > (0)::numeric))");
        assertThat(SqlScript.leadingIdentifier(parts.get(1))).isEqualTo("We,ird\"");
        assertThat(SqlScript.leadingIdentifier(parts.get(0))).isEqualTo("a");
        assertThat(SqlScript.splitTopLevel("\n")).isEmpty();
    }

    @Test
    void matchesParenthesesOutsideQuotes() {
        String sql = "CREATE TABLE \"x(\" (a text DEFAULT ')', b int) INHERITS (p)";
        int open = SqlScript.indexAtTopLevel(sql, '(', 0);

        assertThat(sql.substring(open, SqlScript.closingParenthesis(sql, open) + 1))
                .isEqualTo("(a text DEFAULT ')', b int)");
    }
}
