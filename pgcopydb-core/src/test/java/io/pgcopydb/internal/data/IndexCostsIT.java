package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cost query on a real server: an index's size, three times over for a key sorted by a non-C collation. */
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

    private static long oid(TestDatabase db, String index) {
        return db.queryForLong("SELECT '" + index + "'::regclass::oid::bigint");
    }

    private static long size(TestDatabase db, String index) {
        return db.queryForLong("SELECT pg_relation_size('" + index + "')");
    }
}
