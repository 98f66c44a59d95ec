package io.pgcopydb.cli;

import io.pgcopydb.ExportedSnapshot;
import io.pgcopydb.connection.ConnectionSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code pgcopydb snapshot --source URI [--dir DIR]}: exports a snapshot of the source, prints its id on standard
 * output (and, with {@code --dir}, writes it to {@code DIR/snapshot} as pgcopydb does), and holds it until
 * interrupted: SIGINT or SIGTERM release it and exit 0. Meanwhile {@code clone --snapshot ID} (several of them)
 * read the source at that instant.
 *
 * <p>The signals are taken from the JVM's default handling (which would start a shutdown and exit 130/143) for as
 * long as the command holds the snapshot, because for this command an interruption is the normal end.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Export a snapshot of the source, print its id and hold it until interrupted (Ctrl-C); "
                + "give the id to clone --snapshot ID to read the source at that instant.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the snapshot was held and released", "2:bad arguments",
            "3:the source could not be reached", "4:the snapshot was lost (the source ended its session)"})
public final class SnapshotCommand implements Callable<Integer> {
    /** How often the held session is checked: a server that ended it has no snapshot to offer any more. */
    private static final long CHECK_SECONDS = 10;

    private final CliContext context;
    private final CountDownLatch interrupted = new CountDownLatch(1);

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "URI", order = 1,
            description = "Source database (or $" + ConnectionArguments.SOURCE_VARIABLE + ").")
    private String source;

    @Option(names = "--dir", paramLabel = "DIR", order = 2,
            description = "Also write the id to DIR/snapshot (or $" + CloneCommand.DIR_VARIABLE + ").")
    private Path dir;

    @Option(names = "--json", order = 3,
            description = "Print {\"snapshot\": ID, \"file\": PATH or null} as one JSON object instead of the bare id.")
    private boolean json;

    @Mixin
    private DebugOption debug;

    /**
     * A command reading its environment fallbacks from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public SnapshotCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() throws InterruptedException {
        ConnectionSpec from = ConnectionArguments.required(context, "--source", source,
                ConnectionArguments.SOURCE_VARIABLE);
        Path directory = dir != null ? dir : context.variable(CloneCommand.DIR_VARIABLE).map(Path::of).orElse(null);
        sun.misc.SignalHandler previousInt = Signal.handle(new Signal("INT"), s -> interrupted.countDown());
        sun.misc.SignalHandler previousTerm = Signal.handle(new Signal("TERM"), s -> interrupted.countDown());
        try (ExportedSnapshot snapshot = ExportedSnapshot.export(from)) {
            Path file = directory == null ? null : write(directory, snapshot.id());
            PrintWriter out = spec.commandLine().getOut();
            out.println(output(snapshot.id(), file, json));
            out.flush();
            org.slf4j.LoggerFactory.getLogger(SnapshotCommand.class).info("Holding snapshot \"{}\" of {}{}; "
                    + "interrupt (Ctrl-C) to release it", snapshot.id(), from.toUri(),
                    file == null ? "" : " (written to " + file + ")");
            while (!interrupted.await(CHECK_SECONDS, TimeUnit.SECONDS)) {
                if (!snapshot.isHeld()) {
                    throw new io.pgcopydb.PgCopyException(io.pgcopydb.ErrorCode.SNAPSHOT_LOST, "the snapshot "
                            + snapshot.id() + " was lost: the source ended the session holding it");
                }
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new UsageException("--dir " + directory + ": cannot write the snapshot file: " + e.getMessage());
        } finally {
            Signal.handle(new Signal("INT"), previousInt);
            Signal.handle(new Signal("TERM"), previousTerm);
        }
    }

    /** What standard output gets: the bare id (as pgcopydb prints it), or one JSON object with the file too. */
    static String output(String id, Path file, boolean json) {
        if (!json) {
            return id;
        }
        return CliJson.obj().str("snapshot", id).str("file", file == null ? null : file.toString()).toString();
    }

    /** Writes {@code id} to {@code dir/snapshot}, creating the directory. */
    private static Path write(Path dir, String id) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("snapshot"), id + System.lineSeparator());
    }
}
