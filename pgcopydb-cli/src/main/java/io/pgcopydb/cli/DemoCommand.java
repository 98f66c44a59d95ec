package io.pgcopydb.cli;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.CopyReport;
import io.pgcopydb.DatabaseCopy;
import io.pgcopydb.compare.CompareReport;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.sample.SampleDatabase;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.ServerProvider;
import io.pgcopydb.testkit.server.ServerProviders;
import io.pgcopydb.testkit.server.TempDirectories;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code pgcopydb demo}: shows a whole copy on a machine with no database of its own. It starts two throwaway
 * PostgreSQL servers with the testkit, generates the sample shop database ({@link SampleDatabase}) in
 * database {@value #DATABASE} of the first, copies it into the second with the library, prints the summary
 * tables and the line of the library's own proof ({@link CopyBuilder#verify()}: schema, rows, sequences and large
 * objects compared in the copy's snapshot):
 *
 * <pre>
 * verification: compared 244 schema objects and 17 tables (68,836 rows): identical
 * </pre>
 *
 * <p>The servers and every temporary directory are gone when the command ends, whether it succeeded or not.
 * With {@code --source} and {@code --target} the demo copies between those servers instead (the target database
 * must exist and be empty) and verifies the same way; the sample is generated into the source only with
 * {@code --generate}. The demo does not read {@code PGCOPYDB_SOURCE_PGURI}/{@code PGCOPYDB_TARGET_PGURI}: it
 * touches real servers only when told so on its command line.
 *
 * <p>Exit codes as for {@code clone --verify}: a verification that finds differences exits
 * {@value ExitCodes#DIFFERENT}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Start two throwaway PostgreSQL servers, generate a sample shop database in the first, "
                + "copy it to the second, print the summary and verify that the copy is identical. Needs "
                + "PostgreSQL's server binaries (initdb, pg_ctl) and client tools (pg_dump, pg_restore).")
public final class DemoCommand implements Callable<Integer> {
    /** The database the throwaway servers hold. */
    public static final String DATABASE = "shop";
    /** The default {@code --scale}: small enough for well under a minute on two cores. */
    public static final double DEFAULT_SCALE = 0.2;

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--scale", paramLabel = "FACTOR", order = 1,
            description = "Size of the generated sample: 1 is about 50 MB (default: " + DEFAULT_SCALE + ").")
    private Double scale;

    @CommandLineOnly
    @Option(names = "--source", paramLabel = "URI", order = 6,
            description = "Copy from this database instead of a throwaway server (needs --target).")
    private String source;

    @CommandLineOnly
    @Option(names = "--target", paramLabel = "URI", order = 7,
            description = "Copy into this existing, empty database instead of a throwaway server.")
    private String target;

    @Option(names = "--generate", order = 8,
            description = "With --source: generate the sample into the source first (it must not hold schema "
                    + "'shop' yet). Without it the demo copies whatever the source holds.")
    private boolean generate;

    @Mixin
    private JobOptions jobs = new JobOptions();

    @Mixin
    private DebugOption debug;

    @Mixin
    private ProgressOptions progress = new ProgressOptions();

    /**
     * The demo command, reading {@code PGCOPYDB_TABLE_JOBS} and the like from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public DemoCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        if (scale != null && (!(scale > 0) || Double.isInfinite(scale))) {
            throw new UsageException("--scale must be > 0, was " + scale);
        }
        JobOptions.Jobs counts = jobs.resolve(context);
        Optional<ConnectionSpec> from = ConnectionArguments.optional(context, "--source", source);
        Optional<ConnectionSpec> to = ConnectionArguments.optional(context, "--target", target);
        if (from.isPresent() != to.isPresent()) {
            throw new UsageException("give both --source and --target, or neither to use throwaway servers");
        }
        if (from.isEmpty() && generate) {
            throw new UsageException("--generate applies only with --source and --target: "
                    + "the throwaway source always gets the sample");
        }
        if (from.isPresent() && scale != null && !generate) {
            throw new UsageException("--scale applies only to a generated sample: add --generate");
        }
        Path temp = createTempDirectory();
        try {
            if (from.isPresent()) {
                return copyAndVerify(ConnectionSpecServer.database(from.get()), from.get(),
                        ConnectionSpecServer.database(to.get()), to.get(), generate, counts, temp);
            }
            return onThrowawayServers(counts, temp);
        } finally {
            TempDirectories.deleteRecursively(temp);
        }
    }

    private int onThrowawayServers(JobOptions.Jobs counts, Path temp) {
        ServerProvider provider = ServerProviders.fromEnvironment();
        // Servers from PGCOPYDB_TEST_*_URI are shared, maybe even one server: use names of our own there, and
        // drop them afterwards. Servers we start are ours alone and go away with everything in them.
        boolean shared = provider.kind() == ServerProvider.Kind.EXTERNAL;
        String sharedName = "pgcopydb_demo_" + ProcessHandle.current().pid();
        String sourceName = shared ? sharedName + "_src" : DATABASE;
        String targetName = shared ? sharedName + "_tgt" : DATABASE;
        LOG.info("Starting two throwaway PostgreSQL servers ({})", provider);
        PostgresServer sourceServer = provider.server(ServerProvider.Role.SOURCE);
        try {
            PostgresServer targetServer = provider.server(ServerProvider.Role.TARGET);
            try {
                TestDatabase src = createDatabase(sourceServer, sourceName);
                try {
                    TestDatabase tgt = createDatabase(targetServer, targetName);
                    try {
                        return copyAndVerify(src, specOf(src), tgt, specOf(tgt), true, counts, temp);
                    } finally {
                        dropIfShared(shared, tgt);
                    }
                } finally {
                    dropIfShared(shared, src);
                }
            } finally {
                stop(targetServer);
            }
        } finally {
            stop(sourceServer);
        }
    }

    private static TestDatabase createDatabase(PostgresServer server, String name) {
        server.createDatabase(name);
        return new TestDatabase(server, name);
    }

    /** Servers we start go away with their databases; on shared ones we drop what we created. */
    private static void dropIfShared(boolean shared, TestDatabase database) {
        if (shared) {
            database.server().dropDatabase(database.name());
        }
    }

    /**
     * Stops a server we started. After Ctrl-C the testkit's own shutdown hook is already stopping it and
     * deleting its files; closing it here as well would race with that hook.
     */
    private static void stop(PostgresServer server) {
        if (!CancelOnShutdown.shuttingDown()) {
            server.close();
        }
    }

    private int copyAndVerify(TestDatabase src, ConnectionSpec from, TestDatabase tgt, ConnectionSpec to,
            boolean generateSample, JobOptions.Jobs counts, Path temp) {
        if (generateSample) {
            double factor = scale == null ? DEFAULT_SCALE : scale;
            LOG.info("Generating the sample shop database (scale {}) in {}", factor, from);
            src.load(SampleDatabase.of(factor));
        }
        LOG.info("Copying {} to {} with {} table jobs and {} index jobs", from, to, counts.table(), counts.index());
        CopyBuilder copy = counts.applyTo(DatabaseCopy.from(from).to(to)).workDirectory(temp.resolve("work"))
                .verify();
        CopyReport report = progress.run(copy);
        PrintWriter out = spec.commandLine().getOut();
        ReportPrinter.print(report, out);
        CompareReport verification = report.verification().orElseThrow();
        out.println();
        out.println("verification: " + verification.summaryLine());
        out.flush();
        return ExitCodes.OK;
    }

    /** The library needs the password the testkit URI leaves out (servers from Docker or the environment). */
    private static ConnectionSpec specOf(TestDatabase database) {
        return ConnectionSpec.parse(database.uri()).withPassword(database.server().password().orElse(null));
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("pgcopydb-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }
}
