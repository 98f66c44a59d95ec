package io.pgcopydb.internal.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.preflight.TargetVersionCheck.NewerFeature;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The source facts a downgrade is checked against, read from a real server of this machine's version (15): each
 * feature newer than PostgreSQL 12 is found on the object that uses it, and nothing on objects that do not.
 */
@ExtendWith(PostgresPairExtension.class)
class SourceFeaturesIT {

    @Test
    void everyNewerFeatureIsFoundOnItsObject(DatabasePair pair) throws Exception {
        TestDatabase source = pair.source();
        int major = source.server().serverVersionNum() / 10000;
        source.execute("""
                CREATE TABLE plain (id int PRIMARY KEY, a int UNIQUE, spans int4range, body text);
                CREATE TABLE modern (id int PRIMARY KEY, a int, b int, spans int4multirange,
                                     body text COMPRESSION pglz,
                                     CONSTRAINT modern_b_key UNIQUE NULLS NOT DISTINCT (b));
                CREATE UNIQUE INDEX modern_a_idx ON modern (a) NULLS NOT DISTINCT;
                CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
                CREATE FUNCTION add_one(i int) RETURNS int LANGUAGE sql RETURN i + 1;
                CREATE FUNCTION old_style(i int) RETURNS int LANGUAGE sql AS 'SELECT i + 1';
                CREATE FUNCTION upsert() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                  MERGE INTO plain p USING modern m ON p.id = m.id WHEN NOT MATCHED THEN INSERT VALUES (m.id);
                END $$;
                CREATE PUBLICATION filtered FOR TABLE modern WHERE (id > 0);
                CREATE PUBLICATION whole FOR TABLE plain;
                """);

        List<NewerFeature> features;
        try (Connection c = source.connect()) {
            features = SourceFeatures.read(c, major);
        }

        assertThat(features).extracting(f -> f.object() + " | " + f.feature() + " | " + f.since())
                .containsExactlyInAnyOrder(
                        "constraint modern_b_key on public.modern | NULLS NOT DISTINCT | 15",
                        "index public.modern_a_idx | NULLS NOT DISTINCT | 15",
                        "column public.modern.spans | a multirange type | 14",
                        "column public.modern.body | a COMPRESSION clause | 14",
                        "range type public.floatrange | multirange_type_name (pg_dump writes it for every range type of a 14+ "
                                + "server) | 14",
                        "function public.add_one(i integer) | a SQL-standard body (BEGIN ATOMIC or RETURN) | 14",
                        "function public.upsert() | MERGE (its body matches MERGE INTO) | 15",
                        "publication filtered (table public.modern) | a column list or row filter | 15");
    }

    @Test
    void aSourceOfAnOlderVersionIsSentNoQueryNamingNewerColumns(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE t (a int UNIQUE NULLS NOT DISTINCT)");

        try (Connection c = pair.source().connect()) {
            assertThat(SourceFeatures.read(c, 12)).as("a 12 source has none of these features").isEmpty();
            assertThat(SourceFeatures.read(c, 14)).as("NULLS NOT DISTINCT is only asked of a 15 source").isEmpty();
        }
    }
}
