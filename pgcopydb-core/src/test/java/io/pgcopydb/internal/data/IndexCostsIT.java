package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cost query on a real server: an index's size, three times over for a key sorted through a library (libc's
 * {@code strcoll} for a locale other than C/POSIX, ICU), by each collation's provider and the database's.
 */
@ExtendWith(PostgresPairExtension.class)
class IndexCostsIT {

    @Test
    void aCollatedTextKeyCostsThreeTimesItsSizeAndOthersTheirSize(DatabasePair pair) throws Exception {
        TestDatabase db = pair.source();
        db.execute("""
                CREATE TABLE t (id int PRIMARY KEY, code text, num numeric, pair text);
                INSERT INTO t SELECT g, md5(g::text), g, md5((g * 3)::text) FROM generate_series(1, 20000) g;
                CREATE INDEX t_code ON t (code);
                CREATE INDEX t_code_c ON t (code COLLATE "C");
                CREATE INDEX t_num ON t (num);
                CREATE INDEX t_mixed ON t (id, pair);
                """);
        assertThat(db.queryForString("SELECT datcollate FROM pg_database WHERE datname = current_database()"))
                .as("the test server's databases sort text by a libc locale").isNotIn("C", "POSIX");
        Map<String, Long> oids = Map.of("t_pkey", oid(db, "t_pkey"), "t_code", oid(db, "t_code"), "t_code_c",
                oid(db, "t_code_c"), "t_num", oid(db, "t_num"), "t_mixed", oid(db, "t_mixed"));

        Map<Long, Long> costs;
        try (Connection c = db.connect()) {
            costs = IndexCosts.query(c, oids.values().toArray(Long[]::new));
        }

        assertThat(costs).hasSize(5);
        assertThat(costs.get(oids.get("t_pkey"))).isEqualTo(size(db, "t_pkey"));
        assertThat(costs.get(oids.get("t_num"))).isEqualTo(size(db, "t_num"));
        assertThat(costs.get(oids.get("t_code_c"))).as("COLLATE \"C\": plain byte comparisons")
                .isEqualTo(size(db, "t_code_c"));
        assertThat(costs.get(oids.get("t_code"))).isEqualTo(3 * size(db, "t_code"));
        assertThat(costs.get(oids.get("t_mixed"))).as("one collated column is enough")
                .isEqualTo(3 * size(db, "t_mixed"));
    }

    @Test
    void anIcuDatabasesDefaultCollationIsCollatedWhateverItsLcCollate(DatabasePair pair) throws Exception {
        TestDatabase db = pair.source();
        String name = "icu_" + Long.toHexString(System.nanoTime());
        db.execute("CREATE DATABASE " + name + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en'"
                + " LC_COLLATE 'C' LC_CTYPE 'C'");
        TestDatabase icu = new TestDatabase(db.server(), name);
        icu.execute("""
                CREATE TABLE t (code text, num int);
                INSERT INTO t SELECT md5(g::text), g FROM generate_series(1, 5000) g;
                CREATE INDEX t_code ON t (code);
                CREATE INDEX t_code_c ON t (code COLLATE "C");
                CREATE INDEX t_num ON t (num);
                """);
        Map<Long, Long> costs;
        try (Connection c = icu.connect()) {
            costs = IndexCosts.query(c, new Long[] {oid(icu, "t_code"), oid(icu, "t_code_c"), oid(icu, "t_num")});
        }
        assertThat(costs.get(oid(icu, "t_code"))).as("the default collation is ICU's, though datcollate is C")
                .isEqualTo(3 * size(icu, "t_code"));
        assertThat(costs.get(oid(icu, "t_code_c"))).isEqualTo(size(icu, "t_code_c"));
        assertThat(costs.get(oid(icu, "t_num"))).isEqualTo(size(icu, "t_num"));
    }

    @Test
    @PostgresPair(source = 17, target = 15)
    void builtinCollationsCompareBytesAndIcuOnesAreCollated(DatabasePair pair) throws Exception {
        TestDatabase db = pair.source();
        String name = "builtin_" + Long.toHexString(System.nanoTime());
        db.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER builtin"
                + " BUILTIN_LOCALE 'C.UTF-8'"
                + " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'");
        TestDatabase builtin = new TestDatabase(db.server(), name);
        boolean icu = builtin.queryForLong("SELECT count(*) FROM pg_collation WHERE collprovider = 'i'") > 0;
        builtin.execute("""
                CREATE COLLATION c_utf8 (provider = builtin, locale = 'C.UTF-8');
                CREATE TABLE t (code text);
                INSERT INTO t SELECT md5(g::text) FROM generate_series(1, 5000) g;
                CREATE INDEX t_code ON t (code);
                CREATE INDEX t_code_builtin ON t (code COLLATE c_utf8);
                """ + (icu ? "CREATE INDEX t_code_icu ON t (code COLLATE \"und-x-icu\");" : ""));
        Map<Long, Long> costs;
        try (Connection c = builtin.connect()) {
            costs = IndexCosts.query(c, new Long[] {oid(builtin, "t_code"), oid(builtin, "t_code_builtin")});
        }
        assertThat(costs.get(oid(builtin, "t_code"))).as("the database's builtin default, not its LC_COLLATE")
                .isEqualTo(size(builtin, "t_code"));
        assertThat(costs.get(oid(builtin, "t_code_builtin"))).as("a builtin collation: collcollate is NULL")
                .isEqualTo(size(builtin, "t_code_builtin"));
        if (icu) {
            try (Connection c = builtin.connect()) {
                assertThat(IndexCosts.query(c, new Long[] {oid(builtin, "t_code_icu")}))
                        .containsEntry(oid(builtin, "t_code_icu"), 3 * size(builtin, "t_code_icu"));
            }
        }
    }

    private static long oid(TestDatabase db, String index) {
        return db.queryForLong("SELECT '" + index + "'::regclass::oid::bigint");
    }

    private static long size(TestDatabase db, String index) {
        return db.queryForLong("SELECT pg_relation_size('" + index + "')");
    }
}
