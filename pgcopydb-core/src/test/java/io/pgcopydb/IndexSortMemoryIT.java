package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A big table's B-tree builds run with the sort memory {@code IndexSortMemory} sizes (its runs spill to temporary
 * files), except on a target with a {@code temp_file_limit}: there they keep 1 GB and sort in memory, and the copy
 * does not fail where it did not before.
 */
@ExtendWith(PostgresPairExtension.class)
class IndexSortMemoryIT {
    private static final String SIZED = "big_v_idx: built with maintenance_work_mem = 16384kB";

    @Test
    void bigTablesBTreesSortInRunsUnlessTheTargetLimitsTemporaryFiles(DatabasePair pair) {
        // ~75 MB of heap: over the 64 MB from which builds are sized; the index on v sorts ~25 MB, over 16 MB.
        pair.source().execute("""
                CREATE TABLE big (id int PRIMARY KEY, v int, pad text);
                INSERT INTO big SELECT g, (g::bigint * 7919 % 1000003)::int, repeat('x', 74) || g
                  FROM generate_series(1, 650000) g;
                CREATE INDEX big_v_idx ON big (v);
                CREATE INDEX big_pad_hash ON big USING hash (pad)""");
        pair.source().execute("VACUUM ANALYZE big");
        assertThat(pair.source().queryForLong("SELECT pg_table_size('big')")).isGreaterThan(64L << 20);

        String sized = LogCapture.capture(() -> CopyAssertions.copy(pair, new RecordingListener(), b -> b));
        assertThat(sized).contains(SIZED).doesNotContain("big_pad_hash: built with");
        CopyAssertions.assertIdentical(pair);

        pair.target().execute("ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " SET temp_file_limit = "
                + "'1MB'");
        String limited = LogCapture.capture(() -> CopyAssertions.copy(pair, new RecordingListener(),
                CopyBuilder::dropIfExists));
        assertThat(limited).doesNotContain("built with maintenance_work_mem");
        pair.target().execute("ALTER DATABASE " + Sql.quoteIdent(pair.target().name()) + " RESET temp_file_limit");
        CopyAssertions.assertIdentical(pair);
        assertThat(pair.target().queryForString("SELECT indexdef FROM pg_indexes WHERE indexname = 'big_v_idx'"))
                .contains("USING btree (v)");
    }
}
