package io.pgcopydb.cli;

import io.pgcopydb.testkit.server.TestDatabase;
import java.util.Locale;

/**
 * The database {@code bench} copies, generated on the source server with SQL ({@code generate_series}), so no
 * {@code pgbench} binary is needed:
 *
 * <ul>
 *   <li>pgbench's four tables at scale {@code S}, as {@code pgbench -i --foreign-keys -I dtGvpf} makes them:
 *       {@code pgbench_branches} ({@code S} rows), {@code pgbench_tellers} ({@code 10 S}), {@code pgbench_accounts}
 *       ({@code 100,000 S}, ~128 bytes a row) and an empty {@code pgbench_history}, with their primary keys and
 *       the five foreign keys. One difference: {@code abalance} is spread over 20,001 values (as after a pgbench
 *       run) instead of pgbench's all-zero start, so that its index is not one repeated key.</li>
 *   <li>Two extra indexes on {@code pgbench_accounts}: {@code (bid)} and {@code (abalance)}.</li>
 *   <li>{@code wide}: {@code N} rows of ~285 bytes (a bigint identity key, integers, a smallint, a numeric, two
 *       timestamptz, two texts, a jsonb document and a uuid-like text), with its primary key and two secondary
 *       indexes, {@code (account_id)} and the text {@code (external_ref)}; its identity sequence is set past the
 *       last row.</li>
 * </ul>
 *
 * Scale 50 and 2,000,000 wide rows make about 1.55 GB ({@code pg_database_size}, 2^30 bytes a GB): half of it
 * {@code pgbench_accounts} and its indexes, half {@code wide} and its indexes. The build ends with {@code VACUUM ANALYZE}: the first
 * copy would otherwise set the hint bits of every page it reads (writing the source while it is timed), and every
 * later copy would not.
 */
final class BenchDataset {
    /** The largest scale whose {@code aid} fits pgbench's {@code int} column (pgbench uses bigint beyond). */
    static final int MAX_SCALE = 20_000;

    private BenchDataset() {
    }

    /** One line saying what {@link #build} makes. */
    static String describe(int scale, long wideRows) {
        return String.format(Locale.ROOT, "pgbench scale %d with foreign keys (%,d accounts) + indexes on "
                + "pgbench_accounts (bid) and (abalance), wide %,d rows with 3 indexes", scale, scale * 100_000L,
                wideRows);
    }

    /**
     * Builds the dataset in the empty database {@code db}.
     *
     * @param db the source database, empty
     * @param scale pgbench's scale, 1 to {@value #MAX_SCALE}
     * @param wideRows rows of {@code wide}, 0 or more
     * @return {@code pg_database_size} afterwards, in bytes
     */
    static long build(TestDatabase db, int scale, long wideRows) {
        db.execute("CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, "
                + "filler char(22));"
                + "CREATE TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, filler char(84)) "
                + "WITH (fillfactor = 100);"
                + "CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84)) "
                + "WITH (fillfactor = 100);"
                + "CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88)) "
                + "WITH (fillfactor = 100);"
                + "INSERT INTO pgbench_branches (bid, bbalance) SELECT bid, 0 FROM generate_series(1, " + scale
                + ") AS bid;"
                + "INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT tid, (tid - 1) / 10 + 1, 0 "
                + "FROM generate_series(1, " + 10L * scale + ") AS tid;"
                + "INSERT INTO pgbench_accounts (aid, bid, abalance, filler) "
                + "SELECT aid, (aid - 1) / 100000 + 1, (aid::bigint * 7919 % 20001)::int - 10000, '' "
                + "FROM generate_series(1, " + 100_000L * scale + ") AS aid;"
                + "ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid);"
                + "ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid);"
                + "ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid);"
                + "ALTER TABLE pgbench_tellers ADD CONSTRAINT pgbench_tellers_bid_fkey FOREIGN KEY (bid) "
                + "REFERENCES pgbench_branches;"
                + "ALTER TABLE pgbench_accounts ADD CONSTRAINT pgbench_accounts_bid_fkey FOREIGN KEY (bid) "
                + "REFERENCES pgbench_branches;"
                + "ALTER TABLE pgbench_history ADD CONSTRAINT pgbench_history_bid_fkey FOREIGN KEY (bid) "
                + "REFERENCES pgbench_branches;"
                + "ALTER TABLE pgbench_history ADD CONSTRAINT pgbench_history_tid_fkey FOREIGN KEY (tid) "
                + "REFERENCES pgbench_tellers;"
                + "ALTER TABLE pgbench_history ADD CONSTRAINT pgbench_history_aid_fkey FOREIGN KEY (aid) "
                + "REFERENCES pgbench_accounts;"
                + "CREATE INDEX pgbench_accounts_bid_idx ON pgbench_accounts (bid);"
                + "CREATE INDEX pgbench_accounts_abalance_idx ON pgbench_accounts (abalance)");
        db.execute("CREATE TABLE wide ("
                + "id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                + "account_id int NOT NULL, quantity int NOT NULL, status smallint NOT NULL, "
                + "price numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz, "
                + "title text NOT NULL, description text, attributes jsonb NOT NULL, external_ref text NOT NULL);"
                + "INSERT INTO wide (id, account_id, quantity, status, price, created_at, updated_at, title, "
                + "description, attributes, external_ref) "
                + "SELECT g, (g * 7919 % 500000)::int + 1, (g % 97)::int + 1, (g % 5)::smallint, "
                + "(g * 31 % 1000000) / 100.0, "
                + "timestamptz '2024-01-01 00:00:00+00' + g * interval '17 seconds', "
                + "CASE WHEN g % 3 = 0 THEN NULL "
                + "ELSE timestamptz '2024-06-01 00:00:00+00' + g * interval '11 seconds' END, "
                + "'item ' || g || ' ' || left(md5(g::text), 12), "
                + "CASE WHEN g % 10 = 0 THEN NULL ELSE md5((g * 3)::text) || left(md5((g * 5)::text), 8) END, "
                + "jsonb_build_object('color', (ARRAY['red', 'green', 'blue', 'black', 'white'])[g % 5 + 1], "
                + "'size', g % 40, 'weight', round((g % 1000) / 7.0, 2), "
                + "'tags', jsonb_build_array('t' || g % 17, 't' || g % 23), 'active', g % 2 = 0), "
                + "md5(g::text)::uuid::text "
                + "FROM generate_series(1::bigint, " + wideRows + ") AS g;"
                + "SELECT setval(pg_get_serial_sequence('wide', 'id'), greatest(max(id), 1)) FROM wide;"
                + "CREATE INDEX wide_account_id_idx ON wide (account_id);"
                + "CREATE INDEX wide_external_ref_idx ON wide (external_ref)");
        db.execute("VACUUM ANALYZE");
        return db.queryForLong("SELECT pg_database_size(current_database())");
    }
}
