package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.server.TestDatabase;
import java.time.Duration;

/** What a stopped run must not leave behind: sessions of ours on either server, pg_dump or pg_restore running. */
final class Leftovers {
    /** Sessions the library opens: 'pgcopydb source|target|preflight' and the tools' 'pgcopydb'. */
    static final String OUR_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE application_name"
            + " LIKE 'pgcopydb %' OR application_name = 'pgcopydb'";

    private Leftovers() {
    }

    /** Fails unless, within 2 s, no session of ours is left on either server and no client tool runs. */
    static void assertNothingLeft(DatabasePair pair) {
        // A backend notices its closed socket at once, but leaves pg_stat_activity a moment later.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline && (count(pair.source(), OUR_SESSIONS) > 0
                || count(pair.target(), OUR_SESSIONS) > 0)) {
            Thread.onSpinWait();
        }
        assertThat(count(pair.source(), OUR_SESSIONS)).as("sessions of ours on the source").isZero();
        assertThat(count(pair.target(), OUR_SESSIONS)).as("sessions of ours on the target").isZero();
        assertThat(ProcessHandle.current().descendants().filter(p -> p.isAlive()
                && p.info().command().map(c -> c.contains("pg_dump") || c.contains("pg_restore")).orElse(false)))
                .as("no pg_dump or pg_restore still running").isEmpty();
    }

    /**
     * A fingerprint of everything written to the target: rows of every user table, and relations and
     * constraints. Equal fingerprints taken some time apart mean nothing was written in between.
     */
    static String targetFingerprint(DatabasePair pair) {
        return pair.target().queryForString("""
                SELECT (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables)
                    || '/' || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast'))
                    || '/' || (SELECT count(*) FROM pg_constraint)""");
    }

    /** Waits until the COPY of {@code table} runs on the source (up to 10 s); fails if it never does. */
    static void awaitCopyRunning(DatabasePair pair, String table) {
        String copy = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%" + table + "%TO STDOUT%'";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count(pair.source(), copy) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(count(pair.source(), copy)).as("the COPY of %s is running", table).isEqualTo(1);
    }

    private static long count(TestDatabase db, String sql) {
        return db.queryForLong(sql);
    }
}
