package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same-table splitting copies exactly: an integer key splits by value; a text key, a table whose bytes are mostly
 * TOAST and a table with no key at all (duplicate rows and NULLs included) split by pages. {@code skipSplitByCtid}
 * copies the latter whole. A part split by pages that may have committed unseen (its acknowledgement lost) has its
 * whole table emptied and copied again, never its rows twice.
 */
@ExtendWith(PostgresPairExtension.class)
class SplitTablesIT {
    private static final String SOURCE = SplitFixture.TABLES + """
            CREATE TABLE public.nokey (a int, b text);
            INSERT INTO public.nokey SELECT g % 5000, CASE WHEN g % 13 = 0 THEN NULL
              ELSE repeat(md5((g % 5000)::text), 3) END FROM generate_series(1, 20000) g;
            CREATE TABLE public.tiny (id int PRIMARY KEY);
            INSERT INTO public.tiny SELECT generate_series(1, 10);
            """;

    @Test
    void tablesSplitByKeyAndByPagesAreCopiedExactly(DatabasePair pair, @TempDir Path work) throws IOException {
        pair.source().execute(SOURCE);
        assertThat(pair.source().queryForLong("SELECT pg_relation_size(reltoastrelid) - 10 * pg_relation_size(oid)"
                + " FROM pg_class WHERE oid = 'public.toasty'::regclass")).as("toasty's bytes are mostly TOAST")
                .isPositive();
        PartsSeen seen = new PartsSeen();

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> split(b, work).listener(seen));

        assertThat(report.succeeded()).isTrue();
        assertThat(seen.splits()).containsExactlyInAnyOrderEntriesOf(Map.of("ints", "BY_VALUE x4",
                "texts", "BY_PAGE x4", "toasty", "BY_PAGE x4", "nokey", "BY_PAGE x4", "tiny", "NONE x1"));
        assertThat(journal(work, "TRUNCATED\t")).as("each table split by pages emptied once, before its parts")
                .hasSize(3);
        assertThat(report.tables()).filteredOn(t -> t.name().name().equals("nokey")).singleElement()
                .satisfies(t -> assertThat(t.rows()).isEqualTo(20_000));
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.nokey")).isEqualTo(20_000);
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void skipSplitByCtidCopiesTablesWithoutAnIntegerKeyWhole(DatabasePair pair, @TempDir Path work) {
        pair.source().execute(SOURCE);
        PartsSeen seen = new PartsSeen();

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(),
                b -> split(b, work).skipSplitByCtid().listener(seen));

        assertThat(report.succeeded()).isTrue();
        assertThat(seen.splits()).containsEntry("ints", "BY_VALUE x4").containsEntry("texts", "NONE x1")
                .containsEntry("toasty", "NONE x1").containsEntry("nokey", "NONE x1");
        CopyAssertions.assertIdentical(pair);
    }

    /**
     * Part 2 of a table split by pages commits, then its connection is lost before the acknowledgement: it may have
     * committed (it did). Redoing that part alone would copy its rows twice; the table is emptied and all its parts
     * copied again, one retry of the table in the report.
     */
    @Test
    void aPagePartThatMayHaveCommittedHasItsWholeTableRedone(DatabasePair pair, @TempDir Path work)
            throws IOException {
        pair.source().execute(SOURCE);
        AtomicBoolean lost = new AtomicBoolean();
        CopyStreamer losingAnAcknowledgement = (part, context, progress) -> {
            CopyStreamer.CopyResult r = CopyStreamer.standard().copy(part, context, progress);
            if (part.toString().equals("public.nokey [2/4]") && lost.compareAndSet(false, true)) {
                throw new SQLException("simulated: the connection was lost before the commit was acknowledged",
                        "08006");
            }
            return r;
        };
        RecordingListener listener = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, listener, b -> split(b, work)
                .copyStreamer(losingAnAcknowledgement));

        assertThat(lost).isTrue();
        assertThat(report.succeeded()).isTrue();
        assertThat(report.retries()).singleElement().satisfies(r -> {
            assertThat(r.object()).isEqualTo("public.nokey");
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.sqlState()).contains("08006");
        });
        assertThat(listener.events("retrying")).extracting(RecordingListener.Event::object)
                .containsExactly("public.nokey #2");
        assertThat(listener.events("tableCopyStarted")).extracting(RecordingListener.Event::object)
                .as("each part starts once").filteredOn(o -> o.startsWith("public.nokey")).hasSize(4);
        long nokey = pair.source().queryForLong("SELECT 'public.nokey'::regclass::oid");
        List<String> lines = journal(work, "");
        List<String> truncations = lines.stream().filter(l -> l.startsWith("TRUNCATED\t" + nokey + "\t")).toList();
        assertThat(truncations).as("emptied before its parts, and again before the redo").hasSize(2);
        assertThat(lines.subList(lines.lastIndexOf(truncations.get(1)), lines.size()))
                .filteredOn(l -> l.startsWith("PART\t" + nokey + "/")).as("all four parts after the redo's truncation")
                .hasSize(4);
        assertThat(pair.target().queryForLong("SELECT count(*) FROM public.nokey")).as("no row twice")
                .isEqualTo(20_000);
        assertThat(report.tables()).filteredOn(t -> t.name().name().equals("nokey")).singleElement()
                .satisfies(t -> assertThat(t.rows()).as("the report counts the last round").isEqualTo(20_000));
        CopyAssertions.assertIdentical(pair);
    }

    private static CopyBuilder split(CopyBuilder b, Path work) {
        return b.workDirectory(work).jobs(2).splitTablesLargerThan(300_000).splitMaxParts(4);
    }

    private static List<String> journal(Path work, String prefix) throws IOException {
        return Files.readAllLines(work.resolve("journal")).stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The parts the copy started, by table: how the table was split and into how many parts. */
    private static final class PartsSeen implements CopyListener {
        private final List<TablePart> parts = new CopyOnWriteArrayList<>();

        @Override
        public void tableCopyStarted(TablePart part) {
            parts.add(part);
        }

        Map<String, String> splits() {
            return parts.stream().collect(Collectors.groupingBy(p -> p.table().name().name(), Collectors.collectingAndThen(
                    Collectors.toList(), l -> l.get(0).split() + " x" + l.stream().map(TablePart::number).distinct()
                            .count())));
        }
    }
}
