package io.pgcopydb.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link RestoreWork} against a model of pg_restore's rule (pg_backup_archiver.c,
 * {@code ProcessArchiveRestoreOptions}): walking the archive in its order, an entry with a section sets the current
 * section, an entry without one takes it; {@code --section=post-data} restores the listed entries whose section is
 * then post-data. The entries whose
 * description {@link RestoreWork} does not know may be of any section: it must never say "nothing to restore" when
 * pg_restore would restore something, whatever their true sections.
 */
class RestoreWorkTest {
    private static final List<String> KNOWN_PRE = List.of("SCHEMA", "EXTENSION", "TABLE", "SEQUENCE",
            "SEQUENCE OWNED BY", "DEFAULT", "VIEW", "MATERIALIZED VIEW", "FUNCTION", "TYPE", "DOMAIN", "ENCODING",
            "DATABASE PROPERTIES", "TABLE ATTACH");
    private static final List<String> NO_SECTION = List.of("COMMENT", "ACL", "SECURITY LABEL");
    private static final List<String> OTHERS = List.of("INDEX", "CONSTRAINT", "FK CONSTRAINT", "TRIGGER",
            "INDEX ATTACH", "EVENT TRIGGER", "MATERIALIZED VIEW DATA", "DEFAULT ACL", "LARGE OBJECT",
            "CHECK CONSTRAINT", "POLICY", "RULE", "STATISTICS", "PUBLICATION TABLE");

    enum Section { NONE, PRE, DATA, POST }

    /** An entry of the list: its description, whether it is listed, and its true section in the archive. */
    record Entry(String description, boolean listed, Section section) {
        String line(int id) {
            String entry = id + "; 1259 " + (16000 + id) + " " + description + " public name" + id + " postgres";
            return listed ? entry : ";" + entry;
        }
    }

    @Provide
    Arbitrary<Entry> entries() {
        Arbitrary<Entry> pre = Combinators.combine(Arbitraries.of(KNOWN_PRE), Arbitraries.of(true, false))
                .as((d, listed) -> new Entry(d, listed, Section.PRE));
        Arbitrary<Entry> none = Combinators.combine(Arbitraries.of(NO_SECTION), Arbitraries.of(true, false))
                .as((d, listed) -> new Entry(d, listed, Section.NONE));
        Arbitrary<Entry> other = Combinators.combine(Arbitraries.of(OTHERS), Arbitraries.of(true, false),
                Arbitraries.of(Section.PRE, Section.DATA, Section.POST, Section.POST))
                .as((d, listed, section) -> new Entry(d, listed, section));
        return Arbitraries.oneOf(pre, none, other);
    }

    @Property(tries = 2000)
    void neverSaysNothingWhenPgRestoreWouldRestoreSomething(
            @ForAll @Size(max = 30) List<@From("entries") Entry> entries, @ForAll Random random) {
        List<String> list = lines(entries);
        // The list's order is not the archive's when a stage reorders it: pg_restore goes by the archive's.
        Collections.shuffle(list, random);
        if (!restoresPostData(entries, list)) {
            assertThat(restoredInPostData(entries)).as("restored by pg_restore").isEmpty();
        }
    }

    @Property(tries = 2000)
    void isExactWhenTheUnknownDescriptionsArePostData(@ForAll @Size(max = 30) List<@From("entries") Entry> entries) {
        List<Entry> postData = entries.stream().map(e -> OTHERS.contains(e.description())
                ? new Entry(e.description(), e.listed(), Section.POST) : e).toList();
        assertThat(restoresPostData(postData, lines(postData))).isEqualTo(!restoredInPostData(postData).isEmpty());
    }

    @Test
    void aListOfPreDataAndBuiltIndexesRestoresNothingButAListedCommentOnAnIndexDoes() {
        List<String> toc = List.of(";", "; Archive created at 2026-12-07 19:45:58 UTC",
                "3336; 0 0 ENCODING - ENCODING ", "214; 1259 16581 TABLE public t postgres",
                "3340; 0 0 COMMENT public TABLE t postgres", "3341; 0 0 ACL public TABLE t postgres",
                "3190; 2606 16585 CONSTRAINT public t t_pkey postgres",
                ";\tdepends on: 214", "3191; 1259 16586 INDEX public t_a_idx postgres",
                "3342; 0 0 COMMENT public INDEX t_a_idx postgres");
        List<String> list = List.of("3336; 0 0 ENCODING - ENCODING ", "214; 1259 16581 TABLE public t postgres",
                "3340; 0 0 COMMENT public TABLE t postgres", "3341; 0 0 ACL public TABLE t postgres",
                ";3190; 2606 16585 CONSTRAINT public t t_pkey postgres",
                "; 3191; 1259 16586 INDEX public t_a_idx postgres", ";3342; 0 0 COMMENT public INDEX t_a_idx postgres");
        assertThat(RestoreWork.of(toc).restoresPostData(list)).isFalse();
        // Listed before the table, as a stage may write it: the comment on the index is still post-data.
        assertThat(RestoreWork.of(toc).restoresPostData(List.of("3342; 0 0 COMMENT public INDEX t_a_idx postgres",
                "214; 1259 16581 TABLE public t postgres"))).isTrue();
        assertThat(RestoreWork.of(toc)
                .restoresPostData(List.of("3190; 2606 16585 CONSTRAINT public t t_pkey postgres"))).isTrue();
        assertThat(RestoreWork.of(toc).restoresPostData(List.of("9999; 0 0 COMMENT public TABLE x postgres")))
                .as("an entry not in the archive").isTrue();
        assertThat(RestoreWork.of(toc).restoresPostData(List.of())).isFalse();
    }

    @Test
    void preDataForksWorkersOnlyForManyListedPrivileges() {
        List<String> list = new ArrayList<>(List.of("214; 1259 16581 TABLE public t postgres"));
        list.addAll(Collections.nCopies(RestoreWork.PARALLEL_PRIVILEGES - 1, "3341; 0 0 ACL public TABLE t postgres"));
        list.add(";3342; 0 0 ACL public TABLE u postgres");
        assertThat(RestoreWork.preDataJobs(list, 4)).isEqualTo(1);
        list.add("3343; 0 0 ACL public TABLE v postgres");
        assertThat(RestoreWork.preDataJobs(list, 4)).isEqualTo(4);
        assertThat(RestoreWork.preDataJobs(list, 1)).isEqualTo(1);
    }

    @Property(tries = 1000)
    void postDataGetsOneJobOnlyForAFewQuickEntries(@ForAll @Size(max = 30) List<@From("entries") Entry> entries,
            @ForAll @IntRange(min = 0, max = 150) int triggers, @ForAll boolean unknownArePostData) {
        // The descriptions RestoreWork does not place are taken for post-data: its count is exact when they are.
        List<Entry> all = new ArrayList<>(entries.stream().map(e -> unknownArePostData
                && OTHERS.contains(e.description()) ? new Entry(e.description(), e.listed(), Section.POST) : e)
                .toList());
        // Post-data triggers, listed, to reach the count either side of the limit.
        all.addAll(Collections.nCopies(triggers, new Entry("TRIGGER", true, Section.POST)));
        List<String> list = lines(all);
        List<String> toc = lines(all.stream().map(e -> new Entry(e.description(), true, e.section())).toList());
        List<Entry> restored = restoredInPostData(all);
        int jobs = RestoreWork.of(toc).postDataJobs(list, 4);
        boolean quick = restored.size() < RestoreWork.PARALLEL_QUICK_ENTRIES
                && restored.stream().allMatch(e -> RestoreWork.QUICK_POST_DATA.contains(e.description()));
        if (!quick) {
            assertThat(jobs).as("a slow entry or many: pg_restore's jobs, for %s", restored).isEqualTo(4);
        }
        if (unknownArePostData && restored.size() < RestoreWork.PARALLEL_QUICK_ENTRIES && restored.stream()
                .allMatch(e -> List.of("TRIGGER", "RULE", "POLICY", "COMMENT", "ACL").contains(e.description()))) {
            assertThat(jobs).as("a few quick entries: one process, for %s", restored).isEqualTo(1);
        }
    }

    @Test
    void anIndexOrAForeignKeyInPostDataKeepsTheJobs() {
        List<String> toc = List.of("214; 1259 16581 TABLE public t postgres",
                "3190; 2620 16585 TRIGGER public t tr postgres", "3191; 1259 16586 INDEX public t_a_idx postgres",
                "3192; 2606 16587 FK CONSTRAINT public t t_fk postgres");
        RestoreWork work = RestoreWork.of(toc);
        assertThat(work.postDataJobs(List.of(toc.get(0), toc.get(1), ";" + toc.get(2), ";" + toc.get(3)), 4))
                .as("a trigger, the table not being post-data").isEqualTo(1);
        assertThat(work.postDataJobs(List.of(toc.get(1), toc.get(2)), 4)).isEqualTo(4);
        assertThat(work.postDataJobs(List.of(toc.get(1), toc.get(3)), 4)).isEqualTo(4);
        assertThat(work.postDataJobs(List.of("9999; 0 0 TRIGGER public x tr postgres"), 4))
                .as("a quick entry not in the archive").isEqualTo(1);
    }

    private static List<String> lines(List<Entry> entries) {
        List<String> lines = new ArrayList<>(List.of(";", "; Selected TOC Entries:", ";"));
        for (int i = 0; i < entries.size(); i++) {
            lines.add(entries.get(i).line(100 + i));
        }
        return lines;
    }

    private static boolean restoresPostData(List<Entry> entries, List<String> list) {
        List<String> toc = lines(entries.stream().map(e -> new Entry(e.description(), true, e.section())).toList());
        return RestoreWork.of(toc).restoresPostData(list);
    }

    /** pg_restore's rule, with the entries' true sections. */
    private static List<Entry> restoredInPostData(List<Entry> entries) {
        Section current = Section.PRE;
        List<Entry> restored = new ArrayList<>();
        for (Entry e : entries) {
            if (e.section() != Section.NONE) {
                current = e.section();
            }
            if (e.listed() && current == Section.POST) {
                restored.add(e);
            }
        }
        return restored;
    }
}
