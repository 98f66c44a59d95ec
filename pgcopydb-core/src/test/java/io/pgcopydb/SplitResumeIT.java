package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a table split by pages, whose parts' rows cannot be told apart on the target: a copying JVM killed with
 * SIGKILL in the middle of the table, then resumed, ends exact with no row lost or twice; three runs — parts 1 to
 * 3 recorded then killed, part 4 recorded after the table was emptied then killed, then resumed — never count the
 * parts recorded before the last truncation; a part that committed and then failed (no journal line) is emptied
 * with its table on resume.
 */
@ExtendWith(PostgresPairExtension.class)
class SplitResumeIT {
    /** {@code heap} has no key: split by pages, the largest table, so its parts are the first the jobs take. */
    private static final String SOURCE = """
            CREATE TABLE public.heap (a int, b text);
            INSERT INTO public.heap SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 30000) g;
            CREATE TABLE public.small (id int PRIMARY KEY, note text);
            INSERT INTO public.small SELECT g, 'note ' || g FROM generate_series(1, 1000) g;
            CREATE INDEX small_note_idx ON public.small (note);
            """;
    private static final long ROWS = 30_000;

    @Test
    void killedInTheMiddleOfATableSplitByPagesThenResumedEndsExact(DatabasePair pair, @TempDir Path work)
            throws Exception {
        pair.source().execute(SOURCE);
        long heap = pair.source().queryForLong("SELECT 'public.heap'::regclass::oid");

        // Parts 1 and 2 run on the two jobs; each job then blocks on part 3 or 4: killed with 1 and 2 recorded.
        runChild(pair, work, false, 2, Set.of(3, 4), blocked(2));

        assertThat(journal(work, heap)).hasSize(3).startsWith("TRUNCATED 4").contains("PART 1", "PART 2");
        long before = pair.target().queryForLong("SELECT count(*) FROM public.heap");
        assertThat(before).as("parts 1 and 2 are on the target").isBetween(1L, ROWS - 1);

        RecordingListener listener = new RecordingListener();
        CopyReport report = builder(pair, work).resume().notConsistent().listener(listener).run();

        assertThat(report.succeeded()).isTrue();
        listener.assertPaired();
        assertThat(listener.events("tableCopyStarted")).extracting(RecordingListener.Event::object)
                .as("the table is copied again whole").filteredOn(o -> o.startsWith("public.heap"))
                .containsExactlyInAnyOrder("public.heap [1/4]", "public.heap [2/4]", "public.heap [3/4]",
                        "public.heap [4/4]");
        assertThat(journal(work, heap)).hasSize(8);
        assertThat(journal(work, heap).subList(3, 8)).as("emptied again, then every part").startsWith("TRUNCATED 4")
                .contains("PART 1", "PART 2", "PART 3", "PART 4");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.heap")).as("no row lost or twice")
                .isEqualTo(ROWS);
        assertThat(pair.target().queryForLong("SELECT count(DISTINCT a) FROM public.heap")).isEqualTo(ROWS);
        assertThat(report.tables()).filteredOn(t -> t.name().name().equals("heap")).singleElement()
                .satisfies(t -> assertThat(t.rows()).isEqualTo(ROWS));
        CopyAssertions.assertIdentical(pair);
    }

    /**
     * The trap: run 1 records parts 1 to 3 and is killed; run 2 empties the table, records part 4 and is killed.
     * Every part is recorded once — but parts 1 to 3 were emptied by run 2: run 3 must count only what was recorded
     * after the last truncation, and copy the table again.
     */
    @Test
    void partsRecordedBeforeTheTableWasEmptiedAgainDoNotCount(DatabasePair pair, @TempDir Path work)
            throws Exception {
        pair.source().execute(SOURCE);
        long heap = pair.source().queryForLong("SELECT 'public.heap'::regclass::oid");

        runChild(pair, work, false, 2, Set.of(4), lines -> journalLines(work, heap).containsAll(List.of("PART 1",
                "PART 2", "PART 3")));
        assertThat(journal(work, heap)).hasSize(4).startsWith("TRUNCATED 4")
                .containsOnlyOnce("PART 1", "PART 2", "PART 3");
        // Four jobs: parts 1 to 3 block, part 4 is copied.
        runChild(pair, work, true, 4, Set.of(1, 2, 3), lines -> journalLines(work, heap).size() == 6);
        assertThat(journal(work, heap).subList(4, 6)).containsExactly("TRUNCATED 4", "PART 4");
        long part4 = pair.target().queryForLong("SELECT count(*) FROM public.heap");
        assertThat(part4).as("only part 4's rows: run 2 emptied the table").isBetween(1L, ROWS / 2);
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.heap WHERE a = 1"))
                .as("part 1's first row is gone").isZero();

        RecordingListener listener = new RecordingListener();
        CopyReport report = builder(pair, work).resume().notConsistent().listener(listener).run();

        assertThat(report.succeeded()).isTrue();
        listener.assertPaired();
        assertThat(listener.events("tableCopySkipped")).extracting(RecordingListener.Event::object)
                .as("no part of heap is taken as done").noneMatch(o -> o.startsWith("public.heap"));
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.heap")).isEqualTo(ROWS);
        CopyAssertions.assertIdentical(pair);
    }

    /** Part 3 commits and then fails (not a lost connection): no journal line, its rows on the target. */
    @Test
    void aPartThatCommittedThenFailedIsEmptiedWithItsTableOnResume(DatabasePair pair, @TempDir Path work)
            throws IOException {
        pair.source().execute(SOURCE);
        long heap = pair.source().queryForLong("SELECT 'public.heap'::regclass::oid");
        CopyStreamer failingAfterCommit = (part, context, progress) -> {
            CopyStreamer.CopyResult r = CopyStreamer.standard().copy(part, context, progress);
            if (part.toString().equals("public.heap [3/4]")) {
                throw new SQLException("simulated: failed after the commit", "XX000");
            }
            return r;
        };
        RecordingListener failing = new RecordingListener();

        PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> builder(pair, work)
                .copyStreamer(failingAfterCommit).listener(failing).run());

        assertThat(e).isNotNull();
        failing.assertPaired();
        assertThat(failing.events("tableCopyFailed")).extracting(RecordingListener.Event::object)
                .containsExactly("public.heap [3/4]");
        assertThat(journal(work, heap)).doesNotContain("PART 3");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.heap")).as("part 3's rows are there")
                .isGreaterThan(ROWS / 4);

        CopyReport report = builder(pair, work).resume().notConsistent().listener(new RecordingListener()).run();

        assertThat(report.succeeded()).isTrue();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.heap")).isEqualTo(ROWS);
        CopyAssertions.assertIdentical(pair);
    }

    private static CopyBuilder builder(DatabasePair pair, Path work) {
        return options(DatabaseCopy.from(CopyAssertions.spec(pair.source())).to(CopyAssertions.spec(pair.target()))
                .workDirectory(work));
    }

    private static CopyBuilder options(CopyBuilder b) {
        return b.jobs(2).indexJobs(1).splitTablesLargerThan(300_000).splitMaxParts(4);
    }

    /** The journal's lines about table {@code oid}: {@code TRUNCATED n} and {@code PART n}, in order. */
    private static List<String> journal(Path work, long oid) throws IOException {
        return Files.readAllLines(work.resolve("journal")).stream().map(l -> l.split("\t")).filter(f -> f.length == 4)
                .filter(f -> f[1].equals(Long.toString(oid)) && f[0].equals("TRUNCATED")
                        || f[1].startsWith(oid + "/") && f[0].equals("PART"))
                .map(f -> f[0].equals("PART") ? "PART " + f[1].substring(f[1].indexOf('/') + 1)
                        : "TRUNCATED " + f[2].split(" ")[0])
                .toList();
    }

    /** {@link #journal} while a child may be writing it: a line being written is not there yet. */
    private static List<String> journalLines(Path work, long oid) {
        try {
            return Files.exists(work.resolve("journal")) ? journal(work, oid) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Kill when {@code jobs} parts are blocked: every job is waiting, the parts before them all recorded. */
    private static Predicate<List<String>> blocked(int jobs) {
        return lines -> lines.stream().filter(l -> l.startsWith("EVENT blocking")).count() >= jobs;
    }

    private static void runChild(DatabasePair pair, Path work, boolean resume, int jobs, Set<Integer> blockedParts,
            Predicate<List<String>> killWhen) throws Exception {
        String blocked = blockedParts.stream().map(String::valueOf).collect(Collectors.joining(","));
        KilledChild.runUntil(BlockingCopy.class, List.of(pair.source().jdbcUrl(), pair.target().jdbcUrl(),
                pair.source().server().user(), work.toString(), Boolean.toString(resume), blocked,
                Integer.toString(jobs)), Map.of(), killWhen);
    }

    /**
     * Child JVM: copies args[0] to args[1] as user args[2] into work directory args[3], resuming when args[4] is
     * true, with args[6] jobs; a job that reaches a part of {@code public.heap} numbered in args[5] prints
     * {@code EVENT blocking} and blocks there until killed.
     */
    public static final class BlockingCopy {
        public static void main(String[] args) {
            Set<Integer> blocked = Arrays.stream(args[5].split(",")).map(Integer::valueOf).collect(Collectors.toSet());
            CopyStreamer blocking = (part, context, progress) -> {
                if (part.table().name().name().equals("heap") && blocked.contains(part.number())) {
                    print("blocking " + part);
                    KilledChild.blockUntilKilled();
                }
                return CopyStreamer.standard().copy(part, context, progress);
            };
            CopyBuilder b = options(DatabaseCopy.from(ConnectionSpec.jdbc(args[0], args[2], null))
                    .to(ConnectionSpec.jdbc(args[1], args[2], null)).workDirectory(Path.of(args[3])))
                    .jobs(Integer.parseInt(args[6])).copyStreamer(blocking).listener(new CopyListener() {
                        @Override
                        public void tableCopyStarted(TablePart part) {
                            print("tableCopyStarted " + part);
                        }
                    });
            if (Boolean.parseBoolean(args[4])) {
                b.resume().notConsistent();
            }
            b.run();
            print("done");
        }

        private static synchronized void print(String event) {
            System.out.println("EVENT " + event);
            System.out.flush();
        }
    }
}
