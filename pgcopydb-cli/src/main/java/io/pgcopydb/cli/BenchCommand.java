package io.pgcopydb.cli;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.server.TempDirectories;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb bench}: times this tool's {@code clone} against {@code pg_dump}/{@code pg_restore} and pgcopydb
 * on one generated database ({@link BenchDataset}), in interleaved rounds, and verifies every copy it times.
 *
 * <p>The database is built once, untimed, in {@value #SOURCE_DATABASE} of the source. Round {@code r} then runs
 * every way once, each into a fresh empty target database {@code pgcopydb_bench_<way>_<r>}, in an order rotated
 * by one each round, so no way always runs first or after the same neighbour. Every way runs as a child process
 * ({@link TimedProcess}: wall clock, CPU of all its processes, peak RSS); ours is {@code java -jar} of the running
 * jar, so {@code bench} refuses to run from anywhere else. After each copy, untimed, {@code DatabaseCompare.all()}
 * compares the target with the source; the target database is then dropped. Then the same way copies the empty
 * database {@value #EMPTY_DATABASE} (verified and dropped too): its CPU is the way's start cost, what it spends
 * whatever the database, and the table shows the CPU per GB beyond it. Any copy that failed or differs makes
 * the command exit {@value ExitCodes#FAILED} or {@value ExitCodes#DIFFERENT} after printing the table
 * ({@link BenchReport}).
 *
 * <p>On servers given with {@code --source}/{@code --target} it creates and drops only its own databases, and
 * refuses to start when one of their names already exists.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Benchmark: build a pgbench-like database (~1.5 GB at the defaults) on a throwaway or given "
                + "server, then time this tool's clone, pg_dump/pg_restore and pgcopydb (when on the PATH) copying "
                + "it, interleaved over rounds, each as a child process (wall clock, CPU, peak RSS), and verify "
                + "every copy; after each copy, the same way copies an empty database for its start cost (CPU). "
                + "Run it from the jar: java -jar pgcopydb.jar bench.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every copy verified", "2:bad arguments, not run from a jar, or a database name taken",
            "4:a copy failed", "6:a copy differs from the source"})
public final class BenchCommand implements Callable<Integer> {
    /** The source database bench creates. */
    public static final String SOURCE_DATABASE = "pgcopydb_bench_src";
    /** The empty source database bench creates beside it, whose copies measure each way's start cost. */
    public static final String EMPTY_DATABASE = "pgcopydb_bench_empty";

    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--scale", paramLabel = "S", order = 1, defaultValue = "50",
            description = "pgbench scale of the dataset: 100,000 S accounts (default: ${DEFAULT-VALUE}).")
    private int scale;

    @Option(names = "--wide-rows", paramLabel = "N", order = 2, defaultValue = "2000000",
            description = "Rows of table wide, ~285 bytes each (default: ${DEFAULT-VALUE}).")
    private long wideRows;

    @Option(names = "--rounds", paramLabel = "N", order = 3, defaultValue = "3",
            description = "Rounds; each runs every way once, in a rotating order (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--warmup", paramLabel = "N", order = 3, defaultValue = "1",
            description = "Untimed copies by the first way before the rounds (default: ${DEFAULT-VALUE}): the first "
                    + "copy after the build pays for the source's cold state, whichever way it is.")
    private int warmup;

    @Option(names = "--ways", paramLabel = "WAY", split = ",", order = 4,
            description = "Ways to time, comma-separated: ours-text, ours-binary, pg-dump-dir, pg-dump-custom, "
                    + "pgcopydb (default: all; pgcopydb when on the PATH).")
    private List<String> ways = new ArrayList<>();

    @Option(names = "--way", paramLabel = "NAME=FLAGS", order = 5,
            description = "Add a way of ours: clone with these extra flags, e.g. 'ours-nv=--skip-vacuum' "
                    + "(repeatable).")
    private List<String> variants = new ArrayList<>();

    @Option(names = "--table-jobs", paramLabel = "N", order = 6, defaultValue = "2",
            description = "Table jobs of ours and pgcopydb, -j of pg_dump -Fd and pg_restore (default: "
                    + "${DEFAULT-VALUE}).")
    private int tableJobs;

    @Option(names = "--index-jobs", paramLabel = "N", order = 7, defaultValue = "2",
            description = "Index jobs of ours and pgcopydb (default: ${DEFAULT-VALUE}).")
    private int indexJobs;

    @Option(names = "--split-tables-larger-than", paramLabel = "SIZE", order = 8,
            description = "Passed to ours and pgcopydb (default: not passed).")
    private String split;

    @Option(names = "--jvm-opt", paramLabel = "OPTION", order = 9,
            description = "An option of our child JVMs (repeatable; default: " + BenchOptions.DEFAULT_JVM_OPTION
                    + ").")
    private List<String> jvmOptions = new ArrayList<>();

    @CommandLineOnly
    @Option(names = "--source", paramLabel = "URI", order = 10,
            description = "Build the database on this server instead of a throwaway one (needs --target); the URI "
                    + "names the database to connect to for CREATE DATABASE.")
    private String source;

    @CommandLineOnly
    @Option(names = "--target", paramLabel = "URI", order = 11,
            description = "Copy into new databases on this server instead of a throwaway one.")
    private String target;

    @Option(names = "--pg-bin", paramLabel = "DIR", order = 12,
            description = "Bin directory of pg_dump and pg_restore, for every way (default: the throwaway "
                    + "servers', else the PATH's).")
    private Path pgBin;

    @Option(names = "--json", order = 13, description = "Print the result as JSON.")
    private boolean json;

    @Option(names = "--markdown", order = 14, description = "Print the result as a Markdown table.")
    private boolean markdown;

    @Mixin
    private DebugOption debug;

    /**
     * The bench command, reading {@code PATH} and {@code PGPASSWORD} from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public BenchCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        BenchOptions options = BenchOptions.validate(context, new BenchOptions.Raw(scale, wideRows, rounds, ways,
                variants, tableJobs, indexJobs, split, jvmOptions, pgBin, json, markdown));
        if (warmup < 0) {
            // Before any server starts or any dataset is built.
            throw new UsageException("--warmup must be 0 or more, was " + warmup);
        }
        Optional<ConnectionSpec> from = ConnectionArguments.optional(context, "--source", source);
        Optional<ConnectionSpec> to = ConnectionArguments.optional(context, "--target", target);
        if (from.isPresent() != to.isPresent()) {
            throw new UsageException("give both --source and --target, or neither to use throwaway servers");
        }
        Path jar = runningJar().orElseThrow(() -> new UsageException("bench runs each copy of ours as 'java -jar' "
                + "of the running jar, and this is not a jar: run it as java -jar pgcopydb.jar bench"));
        Path temp = TempDirectories.create("pgcopydb-bench-");
        boolean keepLogs = false;
        try (BenchServers servers = from.isPresent() ? BenchServers.given(from.get(), to.get())
                : BenchServers.throwaway()) {
            BenchReport report = measure(servers, options, jar, temp);
            PrintWriter out = spec.commandLine().getOut();
            out.print(options.json() ? report.toJson() + System.lineSeparator()
                    : options.markdown() ? report.toMarkdown() : report.toText());
            out.flush();
            // The children's logs stay for a copy that failed or differs, and only then.
            keepLogs = !report.allVerified();
            return exitCode(report, temp);
        } finally {
            if (!keepLogs) {
                TempDirectories.deleteRecursively(temp);
            }
        }
    }

    /** Builds the database (untimed), then runs the rounds. */
    private BenchReport measure(BenchServers servers, BenchOptions options, Path jar, Path temp) {
        List<String> targets = new ArrayList<>();
        for (BenchWay way : options.ways()) {
            for (int r = 1; r <= options.rounds(); r++) {
                targets.add(BenchRounds.targetDatabase(way, r));
                targets.add(BenchRounds.startDatabase(way, r));
            }
            if (warmup > 0 && way.equals(options.ways().get(0))) {
                targets.add(BenchRounds.targetDatabase(way, 0));
                targets.add(BenchRounds.startDatabase(way, 0));
            }
        }
        servers.refuseExisting(List.of(SOURCE_DATABASE, EMPTY_DATABASE), targets);
        TestDatabase db = servers.createSource(SOURCE_DATABASE);
        TestDatabase empty = servers.createSource(EMPTY_DATABASE);
        LOG.info("Building {} in {}: {}", SOURCE_DATABASE, servers.spec(db),
                BenchDataset.describe(options.scale(), options.wideRows()));
        long start = System.nanoTime();
        long bytes = BenchDataset.build(db, options.scale(), options.wideRows());
        LOG.info("Built {} in {} s: {} bytes", SOURCE_DATABASE, (System.nanoTime() - start) / 1_000_000_000L,
                String.format(Locale.ROOT, "%,d", bytes));
        WayCommands commands = new WayCommands(Path.of(System.getProperty("java.home"), "bin", "java"), jar,
                launcher(jar), options.jvmOptions(), options.tableJobs(), options.indexJobs(), options.split(),
                options.pgBin().or(servers::binDirectory), options.pgcopydb());
        BenchSetup setup = setup(options, servers, commands, bytes);
        List<BenchRun> runs = new BenchRounds(servers, db, empty, commands, options, warmup,
                childEnvironment(servers, commands),
                temp).run();
        return new BenchReport(setup, options.ways(), runs);
    }

    private int exitCode(BenchReport report, Path logs) {
        long failed = report.runs().stream().filter(r -> r.outcome() == BenchRun.Outcome.FAILED).count();
        long different = report.runs().stream().filter(r -> r.outcome() == BenchRun.Outcome.DIFFERENT).count();
        if (failed + different == 0) {
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("pgcopydb: bench: " + failed + " cop" + (failed == 1 ? "y" : "ies") + " failed and " + different
                + " differ" + (different == 1 ? "s" : "") + " from the source, of " + report.runs().size()
                + " (see the table; logs in " + logs + ")");
        err.flush();
        return failed > 0 ? ExitCodes.FAILED : ExitCodes.DIFFERENT;
    }

    private BenchSetup setup(BenchOptions options, BenchServers servers, WayCommands commands, long bytes) {
        Map<String, String> versions = new LinkedHashMap<>();
        List<String> server = servers.versions();
        versions.put("source PostgreSQL", server.get(0));
        versions.put("target PostgreSQL", server.get(1));
        versions.put("pg_dump", Tools.version(commands.tool("pg_dump"), "pg_dump \\(PostgreSQL\\) (\\S+)"));
        options.pgcopydb().ifPresent(p -> versions.put("pgcopydb", Tools.version(p.toString(),
                "pgcopydb version (\\S+)")));
        versions.put("java", System.getProperty("java.version"));
        versions.put("pgcopydb.jar", VersionProvider.toolVersion());
        Map<String, String> shown = new LinkedHashMap<>();
        options.ways().forEach(w -> shown.put(w.name(), commands.script(w, "SRC", "TGT", "DIR")));
        return new BenchSetup(BenchDataset.describe(options.scale(), options.wideRows()), bytes, options.rounds(),
                options.tableJobs(), options.indexJobs(), options.split().orElse(0), options.jvmOptions(),
                servers.describe(), Tools.machine(), versions, shown);
    }

    /**
     * The children's environment: this one without {@code PGCOPYDB_*} (ours and pgcopydb would read them), with
     * the servers' password as {@code PGPASSWORD} and the client tools' directory first on the {@code PATH}.
     */
    private Map<String, String> childEnvironment(BenchServers servers, WayCommands commands) {
        Map<String, String> env = new LinkedHashMap<>(context.environment());
        env.keySet().removeIf(k -> k.startsWith("PGCOPYDB_"));
        env.remove("PGPASSWORD");
        servers.password().ifPresent(p -> env.put("PGPASSWORD", p));
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("PATH", commands.clientTools().map(d -> d + ":" + path).orElse(path));
        return env;
    }

    /**
     * The launcher ({@code pgcopydb}: a shell script followed by the jar) that {@code jar} is, or that lies beside
     * it, so that ours is timed as users run it.
     */
    static Optional<Path> launcher(Path jar) {
        for (Path candidate : List.of(jar, jar.resolveSibling("pgcopydb"))) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                try (java.io.InputStream in = Files.newInputStream(candidate)) {
                    byte[] start = in.readNBytes(2);
                    if (start.length == 2 && start[0] == '#' && start[1] == '!') {
                        return Optional.of(candidate);
                    }
                } catch (java.io.IOException e) {
                    // not readable: not a launcher we can use
                }
            }
        }
        return Optional.empty();
    }

    /** The jar this class was loaded from, when it was loaded from a jar or from the launcher holding one. */
    static Optional<Path> runningJar() {
        try {
            CodeSource code = BenchCommand.class.getProtectionDomain().getCodeSource();
            if (code == null) {
                return Optional.empty();
            }
            Path path = Path.of(code.getLocation().toURI());
            return Files.isRegularFile(path) && (path.getFileName().toString().endsWith(".jar")
                    || launcher(path).filter(path::equals).isPresent()) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
