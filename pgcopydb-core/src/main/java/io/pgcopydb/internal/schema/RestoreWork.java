package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.TocLine;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a {@code pg_restore --use-list} run would do with a list, read from the list and the archive's table of
 * contents, so that a run with nothing to do is not started (a process, a connection and, with {@code --jobs}, one
 * more per worker: 30–45 ms of a small copy) and a run with little to do does not fork workers that wait idle.
 *
 * <p>pg_restore restores an entry of the section it is asked for; an entry without a section of its own (a comment,
 * a privilege, a security label) takes the section of the entry before it in the archive
 * ({@code ProcessArchiveRestoreOptions} in pg_backup_archiver.c) — whatever the order of the list. {@code pg_restore
 * --list} does not print the sections, so an entry counts as pre-data only when its description is one pg_dump always
 * writes in pre-data ({@link #PRE_DATA}); any other one is taken for post-data: a list is never skipped for an entry
 * this class does not know, the worst it does is start pg_restore for nothing.
 */
public final class RestoreWork {
    /** Descriptions pg_dump writes in the pre-data section, and only there (pg_dump.c's {@code ArchiveEntry} calls). */
    public static final Set<String> PRE_DATA = Set.of("ENCODING", "STDSTRINGS", "SEARCHPATH", "DATABASE",
            "DATABASE PROPERTIES", "SCHEMA", "EXTENSION", "PROCEDURAL LANGUAGE", "TYPE", "SHELL TYPE", "DOMAIN",
            "FUNCTION", "PROCEDURE", "AGGREGATE", "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "COLLATION",
            "CONVERSION", "CAST", "TRANSFORM", "ACCESS METHOD", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE",
            "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION", "FOREIGN DATA WRAPPER", "SERVER", "USER MAPPING",
            "TABLE", "TABLE ATTACH", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "SEQUENCE", "SEQUENCE OWNED BY",
            "DEFAULT");
    /** Descriptions of entries without a section of their own: they take the section of the entry before them. */
    public static final Set<String> NO_SECTION = Set.of("COMMENT", "ACL", "SECURITY LABEL");
    /**
     * Privileges ({@code ACL} entries: a parallel pg_restore leaves them to its workers, and restores the rest of
     * pre-data in its leader before it starts them) from which the pre-data section is restored with pg_restore's
     * jobs: with fewer, one process restores them as fast (800 privileges on 2 cores: 1.37–1.76 s with one job,
     * 1.31–1.91 s with four, which took more CPU).
     */
    static final int PARALLEL_PRIVILEGES = 1000;
    /**
     * Post-data entries that each restore in a moment, whatever the size of the tables: a statement of the catalog
     * alone. A list of fewer than {@link #PARALLEL_QUICK_ENTRIES} of them, and nothing else, is restored by one
     * pg_restore process: workers cost more than they share out (each a process and a connection).
     */
    static final Set<String> QUICK_POST_DATA = Set.of("TRIGGER", "EVENT TRIGGER", "RULE", "POLICY", "ROW SECURITY",
            "COMMENT", "ACL", "SECURITY LABEL", "DEFAULT ACL", "PUBLICATION", "PUBLICATION TABLE",
            "PUBLICATION TABLES IN SCHEMA", "SUBSCRIPTION", "STATISTICS");
    /**
     * Quick entries from which pg_restore's jobs restore post-data faster than one process (PostgreSQL 15, 2 cores,
     * one trigger per table, medians of 7 interleaved runs, one job against four: 50 triggers 35 against 51 ms,
     * 100 triggers 53 against 56 ms, 200 triggers 85 against 78 ms, 400 triggers 159 against 123 ms; pagila's 15
     * triggers 24 against 52 ms; one job took half the client CPU each time).
     */
    static final int PARALLEL_QUICK_ENTRIES = 100;

    /** The dump ids of the archive's entries that may be of post-data, and of all its entries. */
    private final Set<Integer> mayBePostData = new HashSet<>();
    private final Set<Integer> inArchive = new HashSet<>();

    private RestoreWork() {
    }

    /**
     * The sections of the entries of the archive whose table of contents is {@code toc} ({@code pg_restore --list}'s
     * output, in the archive's order, which is the order pg_restore gives sections in), worked out once for the
     * lists restored from it.
     */
    public static RestoreWork of(List<String> toc) {
        RestoreWork work = new RestoreWork();
        boolean postData = false;
        for (String line : toc) {
            Optional<TocLine> entry = TocLine.parse(line);
            if (entry.isEmpty()) {
                continue;
            }
            String description = entry.get().description();
            if (PRE_DATA.contains(description)) {
                postData = false;
            } else if (!NO_SECTION.contains(description)) {
                postData = true;
            }
            work.inArchive.add(entry.get().dumpId());
            if (postData) {
                work.mayBePostData.add(entry.get().dumpId());
            }
        }
        return work;
    }

    /**
     * Whether {@code pg_restore --section=post-data --use-list} would restore any entry listed in {@code list} (the
     * entries not to restore commented out with {@code ;}, in any order); an entry not in the archive counts.
     */
    public boolean restoresPostData(List<String> list) {
        return listed(list).anyMatch(this::mayBePostData);
    }

    /**
     * The jobs to restore {@code list}'s post-data with: one when what it restores is a few quick entries
     * ({@link #QUICK_POST_DATA}), else {@code jobs} — an index, a constraint, a materialized view's data or an entry
     * this class does not know may take long, and beside another one it runs at the same time.
     */
    public int postDataJobs(List<String> list, int jobs) {
        List<TocLine> restored = listed(list).filter(this::mayBePostData).toList();
        boolean quick = restored.size() < PARALLEL_QUICK_ENTRIES
                && restored.stream().allMatch(e -> QUICK_POST_DATA.contains(e.description()));
        return quick ? 1 : jobs;
    }

    /** The jobs to restore {@code list}'s pre-data with: {@code jobs} only when it has many privileges, else one. */
    public static int preDataJobs(List<String> list, int jobs) {
        long privileges = listed(list).filter(e -> e.is("ACL")).count();
        return privileges >= PARALLEL_PRIVILEGES ? jobs : 1;
    }

    /** Whether {@code entry} may be restored by the post-data section: it is of it, or not in the archive. */
    private boolean mayBePostData(TocLine entry) {
        return mayBePostData.contains(entry.dumpId()) || !inArchive.contains(entry.dumpId());
    }

    /** The entries {@code list} restores: those not commented out with {@code ;}. */
    private static Stream<TocLine> listed(List<String> list) {
        return list.stream().filter(line -> !line.startsWith(";")).map(TocLine::parse).flatMap(Optional::stream);
    }
}
