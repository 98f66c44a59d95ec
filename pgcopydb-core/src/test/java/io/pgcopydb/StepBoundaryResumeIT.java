package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThatCode;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.state.Journal;
import io.pgcopydb.internal.state.JournalEntry;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.testkit.fault.FakeClientTools;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.Commands;
import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresBinaries;
import io.pgcopydb.testkit.server.TempDirectories;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13, item 7: a resumed run finishes exact wherever the interrupted one stopped. A benchmark-like database
 * with foreign keys (pgbench's four tables, the accounts split in four parts; a table referencing a partitioned
 * table), a sequence with a value, a large object, a view, a materialized view, a trigger and a NOT VALID check
 * that must not be there while rows are loaded, and a database setting. A child JVM copies it and is killed with SIGKILL at each step boundary in turn
 * (it blocks there: in a listener event, a stage, or a client tool); {@code resume().notConsistent()} then ends
 * with zero differences and the foreign keys in place. Then the ways a run fails without being killed: a failed
 * COPY in carry-on mode, a journal that says post-data was restored over missing data (what an older version
 * did), and a source server crash.
 */
@ExtendWith(PostgresPairExtension.class)
class StepBoundaryResumeIT {
    private static final String BENCHMARK = """
            CREATE TABLE public.pgbench_branches (bid int PRIMARY KEY, bbalance int NOT NULL, filler char(88));
            CREATE TABLE public.pgbench_tellers (tid int PRIMARY KEY,
                bid int NOT NULL REFERENCES public.pgbench_branches, tbalance int NOT NULL, filler char(84));
            CREATE TABLE public.pgbench_accounts (aid int PRIMARY KEY,
                bid int NOT NULL REFERENCES public.pgbench_branches, abalance int NOT NULL, filler char(84));
            CREATE TABLE public.pgbench_history (hid bigserial PRIMARY KEY,
                tid int NOT NULL REFERENCES public.pgbench_tellers, bid int NOT NULL REFERENCES public.pgbench_branches,
                aid int NOT NULL REFERENCES public.pgbench_accounts, delta int NOT NULL, mtime timestamp,
                filler char(22));
            INSERT INTO public.pgbench_branches SELECT b, 0, '' FROM generate_series(1, 10) b;
            INSERT INTO public.pgbench_tellers SELECT t, 1 + (t - 1) / 10, 0, '' FROM generate_series(1, 100) t;
            INSERT INTO public.pgbench_accounts
                SELECT a, 1 + (a - 1) / 3000, CASE WHEN a = 7 THEN 5000 ELSE a % 997 END, ''
                  FROM generate_series(1, 30000) a;
            INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime)
                SELECT 1 + h % 100, 1 + h % 10, 1 + (h * 7) % 30000, h % 500 - 250,
                       CASE WHEN h % 3 = 0 THEN NULL ELSE timestamp '2024-01-01' + h * interval '1 minute' END
                  FROM generate_series(1, 3000) h;
            CREATE INDEX pgbench_accounts_bid_idx ON public.pgbench_accounts (bid);
            CREATE INDEX pgbench_history_aid_idx ON public.pgbench_history (aid);
            -- Post-data objects that change or refuse rows if they are there while the rows are loaded.
            ALTER TABLE public.pgbench_accounts ADD CONSTRAINT abalance_below_1000 CHECK (abalance < 1000) NOT VALID;
            CREATE FUNCTION public.stamp_history() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.mtime := coalesce(NEW.mtime, timestamp '2000-01-01'); RETURN NEW; END $$;
            CREATE TRIGGER stamp_history BEFORE INSERT ON public.pgbench_history
                FOR EACH ROW EXECUTE FUNCTION public.stamp_history();
            CREATE SEQUENCE public.ticket_seq;
            SELECT setval('public.ticket_seq', 4242);
            SELECT lo_from_bytea(0, convert_to('a large object of the benchmark', 'UTF8'));
            CREATE VIEW public.branch_balances AS
                SELECT bid, sum(abalance) AS balance FROM public.pgbench_accounts GROUP BY bid;
            CREATE MATERIALIZED VIEW public.tellers_per_branch AS
                SELECT bid, count(*) AS tellers FROM public.pgbench_tellers GROUP BY bid;
            CREATE UNIQUE INDEX tellers_per_branch_bid ON public.tellers_per_branch (bid);
            -- A foreign key to a partitioned table: its primary key is restored with post-data.
            CREATE TABLE public.branch_days (bid int NOT NULL, day date NOT NULL, PRIMARY KEY (bid, day))
                PARTITION BY RANGE (day);
            CREATE TABLE public.branch_days_2024 PARTITION OF public.branch_days
                FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE public.branch_days_2025 PARTITION OF public.branch_days
                FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            INSERT INTO public.branch_days SELECT b, d::date FROM generate_series(1, 10) b,
                generate_series(date '2024-12-01', date '2025-01-31', interval '1 day') d;
            CREATE TABLE public.teller_days (tid int NOT NULL REFERENCES public.pgbench_tellers, bid int NOT NULL,
                day date NOT NULL, FOREIGN KEY (bid, day) REFERENCES public.branch_days);
            INSERT INTO public.teller_days SELECT t, 1 + (t - 1) / 10, d::date FROM generate_series(1, 100) t,
                generate_series(date '2024-12-20', date '2025-01-10', interval '1 day') d;
            """;
    /** The benchmark's foreign keys: pgbench's five and the two of teller_days. */
    private static final long FOREIGN_KEYS = 7;
    /** Those between two plain tables, which the data step adds (all but teller_days' key to branch_days). */
    private static final long DATA_STEP_FOREIGN_KEYS = 6;
    /** Foreign keys as declared (a key referencing a partitioned table also has a row per partition). */
    private static final String FK_COUNT = "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
            + " AND conparentid = 0 AND connamespace = 'public'::regnamespace";
    private static final String TABLES = "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
            + " AND relkind = 'r'";

    /** Where the child is killed. */
    enum Boundary {
        /** The journal has its run line; nothing is written yet. */
        BEFORE_PRE_DATA("phaseStarted PREPARE_SCHEMA"),
        /** pg_restore restored the pre-data list up to pgbench_history, the tables before it only. */
        MID_PRE_DATA(null),
        /** Pre-data restored, no COPY started. */
        AFTER_PRE_DATA("phaseFinished PREPARE_SCHEMA"),
        /** Part 2 of the accounts committed, its journal line not written. */
        MID_COPY("committed public.pgbench_accounts [2/4]"),
        /** An index built: some tables copied, others still copying or indexing. */
        MID_INDEXES("indexFinished"),
        /** Every table, index and constraint done; sequences not set. */
        AFTER_DATA("phaseFinished COPY_DATA"),
        AFTER_SEQUENCES("phaseFinished SEQUENCES"),
        AFTER_LARGE_OBJECTS("phaseFinished LARGE_OBJECTS"),
        /** The first post-data pass restored; the foreign-key pass not started. */
        MID_POST_DATA(null),
        /**
         * The foreign-key pass restored teller_days' key to the primary key of a partitioned table (which the first
         * pass restored; its other key, between plain tables, came with the data step): the resumed first pass must
         * keep that key.
         */
        MID_FOREIGN_KEYS(null),
        /** Post-data restored and journaled; the database's settings being written (blocked). */
        AFTER_POST_DATA(null),
        /** Everything done but the journal's last line. */
        AFTER_SETTINGS("phaseFinished FINALIZE_SCHEMA");

        final String event;

        Boundary(String event) {
            this.event = event;
        }
    }

    @ParameterizedTest(name = "killed {0}")
    @EnumSource(Boundary.class)
    void killedAtAStepBoundaryThenResumedEndsExactWithItsForeignKeys(Boundary boundary, DatabasePair pair,
            @TempDir Path work) throws Exception {
        createBenchmark(pair);
        Path tools = Files.createTempDirectory("pgcopydb-tools-");
        Path marker = tools.resolve("blocked.pid");
        long start = System.nanoTime();
        List<String> lines;
        try (Connection blocker = boundary == Boundary.AFTER_POST_DATA ? blockDatabaseSettings(pair) : null) {
            Map<String, String> env = switch (boundary) {
                // The pre-data list up to pgbench_history: the tables before it only.
                case MID_PRE_DATA -> Map.of("PG_CONFIG", pausingRestore(tools, "pre-data.list",
                        "/^[0-9]/ && / TABLE public pgbench_history / { cut = 1 } "
                                + "cut && /^[0-9]/ { print \";\" $0; next } { print }", marker).toString());
                case MID_POST_DATA -> Map.of("PG_CONFIG",
                        pausingRestore(tools, "post-data-fk.list", null, marker).toString());
                // Only teller_days' foreign keys, one of them to the partitioned table's primary key.
                case MID_FOREIGN_KEYS -> Map.of("PG_CONFIG", pausingRestore(tools, "post-data-fk.list",
                        "/^[0-9]/ && !/ teller_days / { print \";\" $0; next } { print }", marker).toString());
                default -> Map.of();
            };
            Predicate<List<String>> killWhen = switch (boundary) {
                case MID_PRE_DATA, MID_POST_DATA, MID_FOREIGN_KEYS -> printed -> Files.exists(marker)
                        && size(marker) > 0;
                case AFTER_POST_DATA -> printed -> settingsBlocked(pair) != 0;
                default -> KilledChild.printed("EVENT " + boundary.event);
            };
            lines = runChild(pair, work, boundary.event == null ? "-" : boundary.event, env, killWhen);
            if (blocker != null) {
                // The killed run's backend still waits behind our uncommitted setting: end it, then let go.
                pair.target().execute("SELECT pg_terminate_backend(" + settingsBlocked(pair) + ")");
                blocker.rollback();
            }
        } finally {
            if (Files.exists(marker)) {
                ProcessHandle.of(Long.parseLong(Files.readString(marker).strip()))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
            TempDirectories.deleteRecursively(tools);
        }
        long killedMs = (System.nanoTime() - start) / 1_000_000;
        assertStateAt(boundary, pair, work, lines);

        long resumeStart = System.nanoTime();
        RecordingListener listener = new RecordingListener();
        CopyReport report = options(copy(pair, work)).resume().notConsistent().listener(listener).run();

        long resumedMs = (System.nanoTime() - resumeStart) / 1_000_000;
        System.out.printf("[measure] killed %s: child ran %d ms, the resumed run %d ms%n", boundary, killedMs,
                resumedMs);
        assertThat(report.succeeded()).isTrue();
        listener.assertPaired();
        CopyAssertions.assertIdentical(pair);
        assertThat(pair.target().queryForLong(FK_COUNT)).as("foreign keys on the target").isEqualTo(FOREIGN_KEYS);
        assertThat(journal(work, "DONE\t")).hasSize(1);
    }

    /** Killed before its first write (pg_dump running): nothing to resume, and a run without resume() is exact. */
    @Test
    void killedBeforeTheFirstWriteLeavesNothingToResume(DatabasePair pair, @TempDir Path work) throws Exception {
        createBenchmark(pair);
        runChild(pair, work, "phaseStarted DUMP_SCHEMA", Map.of(),
                KilledChild.printed("EVENT phaseStarted DUMP_SCHEMA"));
        assertThat(Journal.entries(work)).isEmpty();

        PgCopyException refused = catchThrowableOfType(PgCopyException.class,
                () -> options(copy(pair, work)).resume().notConsistent().run());
        assertThat(refused.code()).isEqualTo(ErrorCode.NOTHING_TO_RESUME);
        CopyReport report = options(copy(pair, work)).run();

        assertThat(report.succeeded()).isTrue();
        CopyAssertions.assertIdentical(pair);
        assertThat(pair.target().queryForLong(FK_COUNT)).isEqualTo(FOREIGN_KEYS);
    }

    /** What the target and the journal hold at {@code boundary}: the kill happened where the test says. */
    private static void assertStateAt(Boundary boundary, DatabasePair pair, Path work, List<String> lines)
            throws Exception {
        TestDatabase target = pair.target();
        long accountsOid = pair.source().queryForLong("SELECT 'public.pgbench_accounts'::regclass::oid");
        List<String> parts = journal(work, "PART\t");
        System.out.printf("[measure] %s: journal %s; target: %s relations, %s rows of accounts, %s foreign keys%n",
                boundary, Journal.entries(work).stream().map(e -> e.kind().toString()).distinct().toList(),
                target.queryForLong("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"),
                target.queryForLong("SELECT count(*) FROM pg_class WHERE relname = 'pgbench_accounts'") == 0 ? "no"
                        : target.queryForString("SELECT count(*) FROM public.pgbench_accounts"),
                target.queryForLong(FK_COUNT));
        assertThat(journal(work, "RUN\t")).hasSize(1);
        boolean preData = !journal(work, "PRE_DATA\t").isEmpty();
        boolean postData = !journal(work, "POST_DATA\t").isEmpty();
        long tables = target.queryForLong(TABLES);
        long sourceTables = pair.source().queryForLong(TABLES);
        long committed = lines.stream().filter(l -> l.startsWith("EVENT committed ")).distinct().count();
        switch (boundary) {
            case BEFORE_PRE_DATA -> {
                assertThat(preData).isFalse();
                assertThat(tables).isZero();
            }
            case MID_PRE_DATA -> {
                assertThat(preData).isFalse();
                assertThat(tables).as("the tables before pgbench_history").isPositive().isLessThan(sourceTables);
            }
            case AFTER_PRE_DATA -> {
                assertThat(preData).isTrue();
                assertThat(parts).isEmpty();
                assertThat(tables).isEqualTo(sourceTables);
            }
            case MID_COPY -> {
                assertThat(parts).as("part 2 of the accounts committed without its journal line")
                        .noneMatch(l -> l.startsWith("PART\t" + accountsOid + "/2\t"));
                assertThat(target.queryForLong("SELECT count(*) FROM public.pgbench_accounts")).isPositive();
            }
            case MID_INDEXES -> {
                assertThat(journal(work, "INDEX\t")).isNotEmpty();
                assertThat(postData).isFalse();
            }
            case AFTER_DATA, AFTER_SEQUENCES, AFTER_LARGE_OBJECTS -> {
                assertThat((long) parts.size()).as("every part committed is journaled").isEqualTo(committed)
                        .isGreaterThan(sourceTables);
                assertThat(postData).isFalse();
                assertThat(target.queryForLong(FK_COUNT)).as("the keys between plain tables, from the data step")
                        .isEqualTo(DATA_STEP_FOREIGN_KEYS);
                assertThat(journal(work, "LARGE_OBJECTS\t")).hasSize(boundary == Boundary.AFTER_LARGE_OBJECTS ? 1 : 0);
                assertThat(target.queryForLong("SELECT last_value FROM public.ticket_seq"))
                        .isEqualTo(boundary == Boundary.AFTER_DATA ? 1 : 4242);
            }
            case MID_FOREIGN_KEYS -> {
                assertThat(postData).isFalse();
                assertThat(target.queryForLong(FK_COUNT)).as("the data step's keys, and the pass's key of "
                        + "teller_days to the partitioned table").isEqualTo(FOREIGN_KEYS);
            }
            case MID_POST_DATA -> {
                assertThat(postData).isFalse();
                assertThat(target.queryForLong("SELECT count(*) FROM pg_trigger WHERE tgname = 'stamp_history'"))
                        .as("the first pass restored the trigger").isOne();
                assertThat(target.queryForLong(FK_COUNT)).as("the foreign-key pass did not start: the data "
                        + "step's keys only").isEqualTo(DATA_STEP_FOREIGN_KEYS);
            }
            case AFTER_POST_DATA, AFTER_SETTINGS -> {
                assertThat(postData).isTrue();
                assertThat(target.queryForLong(FK_COUNT)).isEqualTo(FOREIGN_KEYS);
                assertThat(target.queryForLong("SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d"
                        + " ON d.oid = s.setdatabase WHERE d.datname = current_database()"))
                        .as("the database's setting").isEqualTo(boundary == Boundary.AFTER_SETTINGS ? 1 : 0);
                assertThat(journal(work, "DONE\t")).isEmpty();
            }
            default -> throw new AssertionError(boundary);
        }
    }

    /**
     * A failed COPY with {@code continueOnError()}: the other tables, the sequences and the large objects are
     * copied, post-data (and verify) are not, the run fails naming the table and saying to resume; the resumed
     * run ends exact with the foreign keys.
     */
    @Test
    void aFailedCopyInCarryOnModeLeavesPostDataToTheResumedRun(DatabasePair pair, @TempDir Path work)
            throws Exception {
        createBenchmark(pair);
        CopyStreamer standard = CopyStreamer.standard();
        CopyStreamer failingBranches = (part, context, progress) -> {
            if (part.table().name().name().equals("pgbench_branches")) {
                throw new SQLException("injected: the branches cannot be read", "XX000");
            }
            return standard.copy(part, context, progress);
        };
        RecordingListener first = new RecordingListener();
        AtomicReference<PgCopyException> failure = new AtomicReference<>();
        String log = LogCapture.capture(() -> failure.set(catchThrowableOfType(PgCopyException.class,
                () -> options(copy(pair, work)).continueOnError().verify().copyStreamer(failingBranches)
                        .listener(first).run())));

        PgCopyException e = failure.get();
        assertThat(e.code()).isEqualTo(ErrorCode.COPY_FAILED);
        assertThat(e.getMessage()).contains("pgbench_branches").contains("resume()").contains("notConsistent()");
        CopyReport failed = e.partialReport().orElseThrow();
        assertThat(failed.resumable()).isTrue();
        assertThat(failed.warnings()).as("the report says why post-data was left")
                .anyMatch(w -> w.contains("post-data") && w.contains("left for the resumed run")
                        && w.contains("pgbench_branches"));
        assertThat(log).as("a WARN line says it").containsPattern("WARN .*post-data .*left for the resumed run");
        assertThat(first.events("phaseStarted")).extracting(RecordingListener.Event::object)
                .doesNotContain("FINALIZE_SCHEMA", "VERIFY").contains("SEQUENCES", "LARGE_OBJECTS");
        assertThat(failed.verification()).isEmpty();
        first.assertPaired();
        TestDatabase target = pair.target();
        assertThat(target.queryForLong(FK_COUNT + " AND 'public.pgbench_branches'::regclass IN (conrelid, "
                + "confrelid)")).as("no foreign key around the missing branches").isZero();
        assertThat(target.queryForLong(FK_COUNT)).as("the data step's keys between complete tables").isEqualTo(3);
        assertThat(target.queryForLong("SELECT count(*) FROM pg_trigger WHERE tgname = 'stamp_history'")).isZero();
        assertThat(target.queryForLong("SELECT count(*) FROM public.pgbench_accounts")).as("the other tables")
                .isEqualTo(30000);
        assertThat(target.queryForLong("SELECT last_value FROM public.ticket_seq")).isEqualTo(4242);
        assertThat(target.queryForLong("SELECT count(*) FROM pg_largeobject_metadata")).isOne();
        assertThat(journal(work, "POST_DATA\t")).isEmpty();

        RecordingListener second = new RecordingListener();
        CopyReport resumed = options(copy(pair, work)).resume().notConsistent().listener(second).run();

        assertThat(resumed.succeeded()).isTrue();
        second.assertPaired();
        assertThat(second.events("tableCopyStarted")).extracting(RecordingListener.Event::object)
                .as("only the failed table is copied again").containsExactly("public.pgbench_branches");
        CopyAssertions.assertIdentical(pair);
        assertThat(target.queryForLong(FK_COUNT)).isEqualTo(FOREIGN_KEYS);
    }

    /**
     * What issue 13 met: every COPY failed (the source had crashed) and the run, an older version's, restored
     * post-data all the same — primary keys, indexes, the NOT VALID check, the trigger, the refreshed
     * materialized view, the foreign keys — and journaled it. The resumed run drops what stands in the way of
     * its COPYs, restores post-data again after the data and ends exact.
     */
    @Test
    void aJournalThatRestoredPostDataOverMissingDataIsResumedExact(DatabasePair pair, @TempDir Path work)
            throws Exception {
        createBenchmark(pair);
        CopyStreamer sourceGone = (part, context, progress) -> {
            throw new SQLException("injected: every COPY fails", "XX000");
        };
        PgCopyException e = catchThrowableOfType(PgCopyException.class,
                () -> options(copy(pair, work)).continueOnError().copyStreamer(sourceGone).run());
        assertThat(e.code()).isEqualTo(ErrorCode.COPY_FAILED);
        Path postData = work.resolve("older-version-post-data.sql");
        Commands.Result dump = Commands.run(List.of(PostgresBinaries.locate().tool("pg_dump").toString(),
                "--section=post-data", "--file=" + postData, "--dbname=" + pair.source().uri()),
                pair.source().server().clientEnvironment());
        assertThat(dump.ok()).as(dump.output()).isTrue();
        pair.target().loadSqlFile(postData);
        try (Journal journal = Journal.resume(work)) {
            journal.record(new JournalEntry.PostDataRestored());
        }
        assertThat(pair.target().queryForLong(FK_COUNT)).isEqualTo(FOREIGN_KEYS);

        RecordingListener listener = new RecordingListener();
        CopyReport resumed = options(copy(pair, work)).resume().notConsistent().listener(listener).run();

        assertThat(resumed.succeeded()).isTrue();
        listener.assertPaired();
        assertThat(listener.events("phaseStarted")).extracting(RecordingListener.Event::object)
                .contains("FINALIZE_SCHEMA");
        CopyAssertions.assertIdentical(pair);
        assertThat(pair.target().queryForLong(FK_COUNT)).isEqualTo(FOREIGN_KEYS);
        List<String> kinds = Files.readAllLines(work.resolve(Journal.FILE)).stream().map(l -> l.split("\t")[0])
                .toList();
        assertThat(kinds.subList(kinds.lastIndexOf("UNDONE"), kinds.size())).as("post-data undone, then redone")
                .contains("POST_DATA", "DONE");
    }

    /**
     * The source server crashes (immediate stop) while the tables are being copied, with {@code continueOnError()},
     * and is back 1-2 s later: the run fails and says to resume, without foreign keys on the target; the resumed
     * run ends exact with them.
     */
    @Test
    void aSourceCrashMidCopyInCarryOnModeIsResumedExact(DatabasePair pair, @TempDir Path work) throws Exception {
        assumeThatCode(PostgresBinaries::locate).as("local PostgreSQL binaries to crash a server of our own")
                .doesNotThrowAnyException();
        try (LocalPostgres server = LocalPostgres.start()) {
            server.createDatabase("bench");
            DatabasePair crashing = new DatabasePair(new TestDatabase(server, "bench"), pair.target());
            createBenchmark(crashing);
            // As in issue 13, no large object: the run's failure is the data step's, not step 7's.
            crashing.source().execute("SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
            AtomicBoolean crashed = new AtomicBoolean();
            CopyListener crash = new CopyListener() {
                @Override
                public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
                    if (crashed.compareAndSet(false, true)) {
                        server.crash();
                        server.startAgain();
                    }
                }
            };
            RecordingListener first = new RecordingListener();
            PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> options(copy(crashing, work))
                    .continueOnError().listener(crash).listener(first).run());

            assertThat(crashed).isTrue();
            assertThat(e).as("the run fails").isNotNull();
            assertThat(e.getMessage()).contains("resume()");
            assertThat(e.partialReport().orElseThrow().resumable()).isTrue();
            assertThat(e.partialReport().orElseThrow().warnings())
                    .anyMatch(w -> w.contains("left for the resumed run"));
            first.assertPaired();
            int planned = first.planned().orElseThrow().parts().size();
            System.out.printf("[measure] source crash: %s; %d of %d parts journaled%n", e.getMessage(),
                    journal(work, "PART\t").size(), planned);
            assertThat(journal(work, "PART\t").size()).as("some parts failed").isLessThan(planned);
            assertNoForeignKeyAroundMissingRows(crashing);

            CopyReport resumed = options(copy(crashing, work)).resume().notConsistent().run();

            assertThat(resumed.succeeded()).isTrue();
            CopyAssertions.assertIdentical(crashing);
            assertThat(pair.target().queryForLong(FK_COUNT)).isEqualTo(FOREIGN_KEYS);
        }
    }

    /**
     * Every foreign key on the target joins two tables holding all their source rows: the data step adds a key only
     * between complete tables, and post-data is left to the resumed run.
     */
    private static void assertNoForeignKeyAroundMissingRows(DatabasePair pair) {
        String ends = pair.target().queryForString("SELECT coalesce(string_agg(conrelid::regclass || ' '"
                + " || confrelid::regclass, ' '), '') FROM pg_constraint WHERE contype = 'f' AND conparentid = 0");
        for (String table : ends.isEmpty() ? new String[0] : ends.split(" ")) {
            assertThat(pair.target().queryForLong("SELECT count(*) FROM " + table)).as("rows of %s, at one end of a"
                    + " foreign key", table).isEqualTo(pair.source().queryForLong("SELECT count(*) FROM " + table));
        }
    }

    /** Runs {@link Child} on the pair into {@code work}, blocking at {@code event}, killed when {@code killWhen}. */
    private static List<String> runChild(DatabasePair pair, Path work, String event, Map<String, String> env,
            Predicate<List<String>> killWhen) throws Exception {
        return KilledChild.runUntil(Child.class, List.of(pair.source().jdbcUrl(), pair.target().jdbcUrl(),
                pair.source().server().user(), work.toString(), event), env, killWhen);
    }

    private static void createBenchmark(DatabasePair pair) {
        pair.source().execute(BENCHMARK);
        pair.source().execute("ALTER DATABASE \"" + pair.source().name() + "\" SET work_mem = '8MB'");
    }

    private static CopyBuilder copy(DatabasePair pair, Path work) {
        return DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()))
                .workDirectory(work);
    }

    /** The options of every run here, the child's too: the accounts (about 4 MB) in four parts. */
    private static CopyBuilder options(CopyBuilder copy) {
        return copy.jobs(2).indexJobs(1).splitTablesLargerThan(1_000_000).splitMaxParts(4);
    }

    private static List<String> journal(Path work, String prefix) throws IOException {
        return Files.readAllLines(work.resolve(Journal.FILE)).stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /**
     * Holds an uncommitted {@code ALTER DATABASE … SET} on the target: the copy's own, its last write, waits
     * behind it — a deterministic point after post-data and before the settings.
     */
    private static Connection blockDatabaseSettings(DatabasePair pair) throws SQLException {
        Connection c = pair.target().connect();
        c.setAutoCommit(false);
        c.createStatement().execute("ALTER DATABASE \"" + pair.target().name() + "\" SET work_mem = '1MB'");
        return c;
    }

    /** The backend of the copy waiting to write the database's settings, or 0. */
    private static long settingsBlocked(DatabasePair pair) {
        return pair.target().queryForLong("SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = "
                + "current_database() AND wait_event_type = 'Lock' AND query LIKE 'ALTER DATABASE%'");
    }

    /**
     * A {@code PG_CONFIG} naming a bin directory of wrappers: pg_dump is the real one; pg_restore, given the list
     * {@code listName}, restores what is left of it once the awk program {@code rewrite} has commented lines out
     * (nothing when it is null), then writes its pid to {@code marker} and sleeps until killed. Every other restore
     * is the real one.
     */
    private static Path pausingRestore(Path dir, String listName, String rewrite, Path marker) throws Exception {
        Path real = PostgresBinaries.locate().directory();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        String restore = "'" + real.resolve("pg_restore") + "'";
        String partAndRestore = rewrite == null ? "" : """
                    awk '%s' "$LIST" > "$LIST.cut" && mv "$LIST.cut" "$LIST" && %s "$@" || exit 1
                """.formatted(rewrite, restore);
        script(bin.resolve("pg_restore"), """
                #!/bin/sh
                LIST=
                for a in "$@"; do case "$a" in --use-list=*) LIST="${a#--use-list=}";; esac; done
                case "$LIST" in
                  */%s)
                %s    echo $$ > '%s.tmp' && mv '%s.tmp' '%s'
                    exec sleep 600;;
                esac
                exec %s "$@"
                """.formatted(listName, partAndRestore, marker, marker, marker, restore));
        script(bin.resolve("pg_dump"), "#!/bin/sh\nexec '" + real.resolve("pg_dump") + "' \"$@\"\n");
        return FakeClientTools.pgConfig(dir, bin);
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Child JVM: copies args[0] to args[1] as user args[2] into work directory args[3] with the test's options,
     * printing its events; at the event args[4] it blocks until killed. {@code committed <part>} is printed by
     * a streamer wrapper after the part's transaction committed, before the journal records it.
     */
    public static final class Child {
        public static void main(String[] args) {
            String killAt = args[4];
            CopyStreamer standard = CopyStreamer.standard();
            CopyListener printer = new CopyListener() {
                @Override
                public void phaseStarted(Phase phase) {
                    event("phaseStarted " + phase, killAt);
                }

                @Override
                public void phaseFinished(Phase phase, Duration duration) {
                    event("phaseFinished " + phase, killAt);
                }

                @Override
                public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
                    event("tableCopyFinished " + part, killAt);
                }

                @Override
                public void indexFinished(IndexDefinition index, Duration duration) {
                    event("indexFinished " + index.name(), killAt);
                }
            };
            options(DatabaseCopy.from(ConnectionSpec.jdbc(args[0], args[2], null))
                    .to(ConnectionSpec.jdbc(args[1], args[2], null)).workDirectory(Path.of(args[3])))
                    .listener(printer).copyStreamer((part, context, progress) -> {
                        CopyStreamer.CopyResult r = standard.copy(part, context, progress);
                        event("committed " + part, killAt);
                        return r;
                    }).run();
            event("done", killAt);
        }

        private static void event(String event, String killAt) {
            synchronized (Child.class) {
                System.out.println("EVENT " + event);
                System.out.flush();
            }
            if (event.startsWith(killAt)) {
                KilledChild.blockUntilKilled();
            }
        }
    }
}
