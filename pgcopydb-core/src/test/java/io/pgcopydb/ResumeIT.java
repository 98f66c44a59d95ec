package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.Side;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copying JVM killed with SIGKILL (a child process) in the COPY phase and in the index phase; the copy is
 * resumed from its work directory and the comparison helper finds the target exact. A split table keeps the parts
 * that had finished: their rows are not rewritten.
 */
@ExtendWith(PostgresPairExtension.class)
class ResumeIT {
    private static final String SOURCE = """
            CREATE TABLE public.big (id bigint PRIMARY KEY, payload text NOT NULL, n int NOT NULL);
            INSERT INTO public.big SELECT g, repeat(md5(g::text), 6), g % 1000 FROM generate_series(1, 600000) g;
            CREATE INDEX big_n_idx ON public.big (n);
            CREATE INDEX big_payload_idx ON public.big (payload);
            CREATE INDEX big_n_payload_idx ON public.big (n, payload);
            CREATE TABLE public.medium (id serial PRIMARY KEY, big_id bigint REFERENCES public.big, note text);
            INSERT INTO public.medium (big_id, note) SELECT g, 'note ' || g FROM generate_series(1, 200000) g;
            CREATE INDEX medium_note_idx ON public.medium (note);
            CREATE TABLE public.small (code text PRIMARY KEY, label text UNIQUE);
            INSERT INTO public.small SELECT 'c' || g, 'label ' || g FROM generate_series(1, 500) g;
            CREATE VIEW public.big_view AS SELECT id, n FROM public.big WHERE n < 10;
            """;

    @Test
    void killedDuringCopyThenResumedEndsExactKeepingFinishedParts(DatabasePair pair, @TempDir Path work)
            throws Exception {
        pair.source().execute(SOURCE);
        long bigOid = pair.source().queryForLong("SELECT 'public.big'::regclass::oid");

        List<String> seen = runChildUntil(pair, work, "EVENT tableCopyFinished public.big [");

        List<String> partsDone = journal(work, "PART\t" + bigOid + "/");
        System.out.println("[measure] killed during COPY: parts of big finished: " + partsDone.size() + " of 4");
        assertThat(partsDone).as("some of big's parts finished before the kill").isNotEmpty();
        assertThat(partsDone.size()).as("…and not all of them").isLessThan(4);
        assertThat(seen).anyMatch(l -> l.startsWith("EVENT tableCopyStarted public.big [")
                && !l.contains("[" + partsDone.get(0).split("\t")[1].split("/")[1] + "/"));
        String firstPart = partsDone.get(0).split("\t")[1].split("/")[1];
        String finishedRows = "SELECT count(*) || ':' || min(xmin::text) || ':' || max(xmin::text) FROM public.big"
                + " WHERE " + partPredicate(Integer.parseInt(firstPart));
        String before = pair.target().queryForString(finishedRows);
        assertThat(before).as("part %s's rows are on the target after the kill; journal %s; target has %s rows", firstPart,
                Files.readAllLines(work.resolve("journal")), pair.target().queryForString(
                        "SELECT count(*) || ' min ' || min(id) || ' max ' || max(id) FROM public.big")).isNotNull();

        // Not resumable without being asked, nor without notConsistent: both refused before any write.
        PgCopyException refused = catchThrowableOfType(PgCopyException.class, () -> builder(pair, work).run());
        assertThat(refused.code()).as("the work directory's problem comes first").isEqualTo(
                ErrorCode.INTERRUPTED_COPY_FOUND);
        Problem interrupted = ProblemAssertions.problem(refused, ErrorCode.INTERRUPTED_COPY_FOUND, null,
                work.toString());
        assertThat(interrupted.message()).contains("holds an interrupted copy");
        assertThat(interrupted.remedy()).contains("resume()").contains("restart()");
        assertThat(refused.getMessage()).contains("holds an interrupted copy").contains("resume()")
                .contains("restart()");
        PgCopyException consistent = catchThrowableOfType(PgCopyException.class,
                () -> builder(pair, work).resume().run());
        assertThat(consistent.code()).isEqualTo(ErrorCode.RESUME_NEEDS_SNAPSHOT_CHOICE);
        ProblemAssertions.codes(consistent, ErrorCode.RESUME_NEEDS_SNAPSHOT_CHOICE);
        assertThat(consistent.getMessage()).contains("resume() needs notConsistent() or snapshot(id)");

        RecordingListener listener = new RecordingListener();
        CopyReport report = builder(pair, work).resume().notConsistent().listener(listener).run();

        assertThat(report.succeeded()).isTrue();
        listener.assertPaired();
        assertThat(listener.events("tableCopyStarted")).extracting(RecordingListener.Event::object)
                .as("finished parts are not copied again").doesNotContain("public.big [" + firstPart + "/4]");
        assertThat(pair.target().queryForString(finishedRows)).as("the finished part's rows were not rewritten")
                .isEqualTo(before);
        assertThat(report.tables()).filteredOn(t -> t.name().name().equals("big")).singleElement()
                .satisfies(t -> assertThat(t.rows()).isEqualTo(600_000));
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void killedDuringTheIndexPhaseThenResumedEndsExact(DatabasePair pair, @TempDir Path work) throws Exception {
        pair.source().execute(SOURCE);

        runChildUntil(pair, work, "EVENT indexFinished");

        assertThat(journal(work, "INDEX\t")).as("some indexes were built before the kill").isNotEmpty();
        long indexes = pair.source().queryForLong("SELECT count(*) FROM pg_index i JOIN pg_class c"
                + " ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace");
        System.out.println("[measure] killed during the index phase: indexes built: " + journal(work, "INDEX\t").size()
                + " of " + indexes);
        assertThat((long) journal(work, "INDEX\t").size()).as("…not all of them").isLessThan(indexes);

        CopyReport report = builder(pair, work).resume().notConsistent().run();

        assertThat(report.succeeded()).isTrue();
        CopyAssertions.assertIdentical(pair);
        assertThat(journal(work, "DONE\t")).hasSize(1);
        PgCopyException again = catchThrowableOfType(PgCopyException.class,
                () -> builder(pair, work).resume().notConsistent().run());
        assertThat(again.code()).isEqualTo(ErrorCode.FINISHED_COPY_FOUND);
        ProblemAssertions.codes(again, ErrorCode.FINISHED_COPY_FOUND);
        assertThat(ProblemAssertions.problem(again, ErrorCode.FINISHED_COPY_FOUND, null, work.toString()).remedy())
                .contains("restart()");
        assertThat(again.getMessage()).contains("already finished").contains("restart()");
        PgCopyException fresh = catchThrowableOfType(PgCopyException.class, () -> builder(pair, work).run());
        assertThat(fresh.code()).isEqualTo(ErrorCode.FINISHED_COPY_FOUND);
        ProblemAssertions.problem(fresh, ErrorCode.FINISHED_COPY_FOUND, null, work.toString());
        ProblemAssertions.problem(fresh, ErrorCode.TARGET_NOT_EMPTY, Side.TARGET, pair.target().name());
        assertThat(fresh.getMessage()).contains("holds a finished copy: start over with restart()")
                .doesNotContain("resume()");
    }

    @Test
    void resumingWithTheDirectoryOfAnotherPairIsRefused(DatabasePair pair, @TempDir Path work) throws Exception {
        pair.source().execute(SOURCE);
        runChildUntil(pair, work, "EVENT tableCopyFinished");
        String other = pair.target().name() + "_other";
        pair.target().server().createDatabase(other);
        try {
            io.pgcopydb.testkit.server.TestDatabase otherTarget = new io.pgcopydb.testkit.server.TestDatabase(pair.target().server(),
                    other);

            PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy
                    .from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(otherTarget)).workDirectory(work)
                    .resume().notConsistent().run());

            assertThat(e.code()).isEqualTo(ErrorCode.OTHER_PAIRS_WORK_DIRECTORY);
            ProblemAssertions.codes(e, ErrorCode.OTHER_PAIRS_WORK_DIRECTORY);
            ProblemAssertions.problem(e, ErrorCode.OTHER_PAIRS_WORK_DIRECTORY, null, work.toString());
            assertThat(e.getMessage()).contains("holds a copy between other databases").contains("restart()");
            assertThat(otherTarget.queryForLong("SELECT count(*) FROM pg_class WHERE relnamespace = "
                    + "'public'::regnamespace")).as("nothing written").isZero();
        } finally {
            pair.target().server().dropDatabase(other);
        }
    }

    @Test
    void restartWithDropIfExistsStartsOver(DatabasePair pair, @TempDir Path work) throws Exception {
        pair.source().execute(SOURCE);
        runChildUntil(pair, work, "EVENT tableCopyFinished");

        CopyReport report = builder(pair, work).restart().dropIfExists().run();

        assertThat(report.succeeded()).isTrue();
        assertThat(journal(work, "RUN\t")).as("the earlier run's journal was discarded").hasSize(1);
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void aWorkDirectoryInUseByALiveRunIsRefused(DatabasePair pair, @TempDir Path work) throws Exception {
        pair.source().execute(SOURCE);
        java.util.concurrent.CountDownLatch copying = new java.util.concurrent.CountDownLatch(1);
        CopyExecution first = builder(pair, work).listener(new CopyListener() {
            @Override
            public void tableCopyStarted(TablePart part) {
                copying.countDown();
            }
        }).start();
        try {
            assertThat(copying.await(60, TimeUnit.SECONDS)).isTrue();

            PgCopyException e = catchThrowableOfType(PgCopyException.class,
                    () -> DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.source()))
                            .workDirectory(work).run());

            assertThat(e.code()).isEqualTo(ErrorCode.WORK_DIRECTORY_IN_USE);
            ProblemAssertions.codes(e, ErrorCode.WORK_DIRECTORY_IN_USE, ErrorCode.SAME_DATABASE);
            ProblemAssertions.problem(e, ErrorCode.WORK_DIRECTORY_IN_USE, null, work.toString());
            ProblemAssertions.problem(e, ErrorCode.SAME_DATABASE, Side.TARGET, pair.source().name());
            ProblemAssertions.preflightMessage(e);
            assertThat(e.getMessage()).contains("the work directory " + work + " is in use by another live run")
                    .contains("source and target are the same database");
        } finally {
            first.close();
        }
    }

    private static CopyBuilder builder(DatabasePair pair, Path work) {
        return DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()))
                .workDirectory(work).jobs(2).indexJobs(1).splitTablesLargerThan(1).splitMaxParts(4);
    }

    /** The predicate of part {@code n} of 4 of big (ids 1..600000), as the planner cuts it. */
    private static String partPredicate(int n) {
        long[] bounds = {150001, 300001, 450001};
        return n == 1 ? "id < " + bounds[0] : n == 4 ? "id >= " + bounds[2]
                : "id >= " + bounds[n - 2] + " AND id < " + bounds[n - 1];
    }

    private static List<String> journal(Path work, String prefix) throws IOException {
        return Files.readAllLines(work.resolve("journal")).stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** Starts {@link KillableCopy} and SIGKILLs it as soon as it prints a line starting with {@code killAt}. */
    private static List<String> runChildUntil(DatabasePair pair, Path work, String killAt) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                KillableCopy.class.getName(), pair.source().jdbcUrl(), pair.target().jdbcUrl(),
                pair.source().server().user(), work.toString())).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith(killAt)) {
                    child.destroyForcibly();
                    break;
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL, not finished: %s", lines).isEqualTo(137);
        return lines;
    }

    /** Child JVM: copies args[0] to args[1] as user args[2] into work directory args[3], printing its events. */
    public static final class KillableCopy {
        public static void main(String[] args) {
            CopyListener printer = new CopyListener() {
                @Override
                public void tableCopyStarted(TablePart part) {
                    print("tableCopyStarted " + part);
                }

                @Override
                public void tableCopyFinished(TablePart part, long rows, long bytes, Duration duration) {
                    print("tableCopyFinished " + part);
                }

                @Override
                public void indexFinished(IndexDefinition index, Duration duration) {
                    print("indexFinished " + index.name());
                }
            };
            DatabaseCopy.from(ConnectionSpec.jdbc(args[0], args[2], null)).to(ConnectionSpec.jdbc(args[1], args[2],
                    null)).workDirectory(Path.of(args[3])).jobs(2).indexJobs(1).splitTablesLargerThan(1).splitMaxParts(4)
                    .listener(printer).run();
            print("done");
        }

        private static synchronized void print(String event) {
            System.out.println("EVENT " + event);
            System.out.flush();
        }
    }
}
