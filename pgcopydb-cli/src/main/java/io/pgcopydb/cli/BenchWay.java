package io.pgcopydb.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One way {@code bench} copies its database: a name, what runs, and for a way of ours the extra {@code clone}
 * flags that tell it apart ({@code ours-binary} is {@code clone} as it runs by default, binary COPY where both
 * servers allow it; {@code ours-text} adds {@code --use-copy-text}).
 *
 * @param name the way's name as the tables print it, e.g. {@code pg-dump-dir}
 * @param kind the tool that runs
 * @param flags extra flags of our {@code clone} (only for {@link Kind#OURS})
 */
record BenchWay(String name, Kind kind, List<String> flags) {
    /** The tools a way can run. */
    enum Kind {
        /** This tool's {@code clone}, in a child JVM of the running jar. */
        OURS,
        /** {@code pg_dump -Fd -jN} into a directory, then {@code pg_restore -jN}. */
        PG_DUMP_DIR,
        /** {@code pg_dump -Fc | pg_restore}: one pipe, no parallelism. */
        PG_DUMP_CUSTOM,
        /** pgcopydb's own {@code clone}, when a {@code pgcopydb} binary is on the PATH. */
        PGCOPYDB
    }

    /** The way every ratio is taken to. */
    static final String BASELINE = "pg-dump-dir";
    /** pgcopydb's way: ratios are taken to it too when it runs. */
    static final String PGCOPYDB = "pgcopydb";
    /** The built-in ways, in their default order. */
    static final List<String> BUILT_IN = List.of("ours-text", "ours-binary", BASELINE, "pg-dump-custom", PGCOPYDB);

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");
    /** Flags {@code bench} gives every way of ours itself: the same for every way, so the runs compare. */
    private static final Set<String> BENCH_FLAGS = Set.of("--source", "--target", "--dir", "--table-jobs",
            "--index-jobs", "--jobs");

    BenchWay {
        flags = List.copyOf(flags);
    }

    /** The built-in way {@code name}. */
    static BenchWay builtIn(String name) {
        return switch (name) {
            case "ours-text" -> new BenchWay(name, Kind.OURS, List.of("--use-copy-text"));
            case "ours-binary" -> new BenchWay(name, Kind.OURS, List.of());
            case BASELINE -> new BenchWay(name, Kind.PG_DUMP_DIR, List.of());
            case "pg-dump-custom" -> new BenchWay(name, Kind.PG_DUMP_CUSTOM, List.of());
            case PGCOPYDB -> new BenchWay(name, Kind.PGCOPYDB, List.of());
            default -> throw new UsageException("--ways: unknown way '" + name + "': use " + String.join(", ", BUILT_IN)
                    + " or a name given with --way NAME=FLAGS");
        };
    }

    /**
     * The ways to run, in order: those of {@code --ways} (default: every built-in one, {@code pgcopydb} only when
     * its binary is on the PATH), then each {@code --way NAME=FLAGS} variant not already listed there.
     *
     * @param ways the names given with {@code --ways}, empty for the default
     * @param variants the values of {@code --way}, {@code NAME=FLAGS}
     * @param reserved flags {@code bench} already passes to our clone beyond {@link #BENCH_FLAGS}
     * @param pgcopydbOnPath whether a {@code pgcopydb} binary was found
     * @throws UsageException for an unknown or repeated name, a variant's bad name or reserved flag, or
     *     {@code pgcopydb} asked for without a binary
     */
    static List<BenchWay> select(List<String> ways, List<String> variants, Set<String> reserved,
            boolean pgcopydbOnPath) {
        Map<String, BenchWay> named = new LinkedHashMap<>();
        for (String variant : variants) {
            BenchWay way = variant(variant, reserved);
            if (named.put(way.name(), way) != null) {
                throw new UsageException("--way " + way.name() + " is given twice");
            }
        }
        List<String> names = new ArrayList<>(ways);
        if (names.isEmpty()) {
            BUILT_IN.stream().filter(n -> pgcopydbOnPath || !n.equals(PGCOPYDB)).forEach(names::add);
        }
        named.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        List<BenchWay> selected = new ArrayList<>();
        for (String name : names) {
            if (selected.stream().anyMatch(w -> w.name().equals(name))) {
                throw new UsageException("--ways names " + name + " twice");
            }
            BenchWay way = named.containsKey(name) ? named.get(name) : builtIn(name.strip());
            if (way.kind() == Kind.PGCOPYDB && !pgcopydbOnPath) {
                throw new UsageException("--ways: way pgcopydb needs a pgcopydb binary on the PATH, and there is none");
            }
            selected.add(way);
        }
        return List.copyOf(selected);
    }

    /** {@code NAME=FLAGS}: a way of ours with extra clone flags, split on white space. */
    private static BenchWay variant(String spec, Set<String> reserved) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? spec : spec.substring(0, eq).strip();
        if (eq < 0 || !NAME.matcher(name).matches()) {
            throw new UsageException("--way " + spec + ": give NAME=FLAGS, a name of lower-case letters, digits and "
                    + "dashes (at most 30) and the clone flags of this way, e.g. 'ours-x=--skip-vacuum'");
        }
        if (BUILT_IN.contains(name)) {
            throw new UsageException("--way " + name + ": that is the name of a built-in way; choose another");
        }
        List<String> flags = List.of(spec.substring(eq + 1).strip().split("\\s+")).stream()
                .filter(f -> !f.isEmpty()).toList();
        for (String flag : flags) {
            String option = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (BENCH_FLAGS.contains(option) || reserved.contains(option)) {
                throw new UsageException("--way " + name + ": " + option + " is set by bench for every way of ours; "
                        + "leave it out");
            }
        }
        return new BenchWay(name, Kind.OURS, flags);
    }

    /** The way's part of a database name: {@code pg-dump-dir} → {@code pg_dump_dir}. */
    String databasePart() {
        return name.replace('-', '_');
    }

    /** What runs, for the tables: {@code clone --use-copy-binary}, {@code pg_dump -Fd -j2 + pg_restore -j2}, … */
    String describe(int tableJobs) {
        return switch (kind) {
            case OURS -> ("clone " + String.join(" ", flags)).strip();
            case PG_DUMP_DIR -> "pg_dump -Fd -j" + tableJobs + " + pg_restore -j" + tableJobs;
            case PG_DUMP_CUSTOM -> "pg_dump -Fc | pg_restore";
            case PGCOPYDB -> "pgcopydb clone";
        };
    }
}
