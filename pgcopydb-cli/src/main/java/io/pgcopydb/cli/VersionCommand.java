package io.pgcopydb.cli;

import io.pgcopydb.ClientTools;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.ServerPing;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb version [--source URI] [--target URI] [--pg-bin DIR] [--json]}: this tool's version, the JVM's and
 * the JDBC driver's; with {@code --source} (or {@code --target}) the servers' versions; and the {@code pg_dump} /
 * {@code pg_restore} a copy from that source would use (without a source: the newest found).
 *
 * <p>JSON: {@code {"pgcopydb", "java", "java_vm", "jdbc_driver", "source":{version, version_num},
 * "target":{…}, "client_tools":{version, directory, reason} | {"error"}}}; {@code source} and {@code target} only
 * when given.
 */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Print the versions of this tool, Java, the servers (with --source/--target) and the "
                + "pg_dump/pg_restore a copy would use.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad arguments", "3:a server given could not be reached"})
public final class VersionCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "URI", order = 1, description = "Also the source server's version.")
    private String source;

    @Option(names = "--target", paramLabel = "URI", order = 2, description = "Also the target server's version.")
    private String target;

    @Option(names = "--pg-bin", paramLabel = "DIR", order = 3,
            description = "The pg_dump and pg_restore directory a copy would be given.")
    private Path pgBin;

    @Option(names = "--json", order = 4, description = "Print one JSON object.")
    private boolean json;

    @Mixin
    private DebugOption debug;

    /**
     * A command reading its environment fallbacks from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public VersionCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    @Override
    public Integer call() {
        Optional<ServerPing> src = server(Side.SOURCE, source);
        Optional<ServerPing> tgt = server(Side.TARGET, target);
        int sourceMajor = src.map(p -> p.versionNumber() / 10000).orElse(0);
        ClientTools tools = null;
        String toolsProblem = null;
        try {
            tools = ClientTools.find(sourceMajor, Optional.ofNullable(pgBin));
        } catch (PgCopyException e) {
            toolsProblem = FlagWording.rewrite(e.getMessage());
        }
        String java = System.getProperty("java.version");
        String vm = System.getProperty("java.vm.name");
        String jdbc = org.postgresql.util.DriverInfo.DRIVER_VERSION;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            CliJson.Obj doc = CliJson.obj().str("pgcopydb", VersionProvider.toolVersion()).str("java", java)
                    .str("java_vm", vm).str("jdbc_driver", jdbc);
            src.ifPresent(p -> doc.raw("source", server(p)));
            tgt.ifPresent(p -> doc.raw("target", server(p)));
            doc.raw("client_tools", tools == null ? CliJson.obj().str("error", toolsProblem).toString()
                    : CliJson.obj().str("version", tools.version()).str("directory", tools.directory().toString())
                            .str("reason", tools.reason()).toString());
            out.println(doc);
        } else {
            out.println("pgcopydb " + VersionProvider.toolVersion() + " (a Java implementation of pgcopydb)");
            out.println("Java " + java + " (" + vm + "), PostgreSQL JDBC driver " + jdbc);
            src.ifPresent(p -> out.println("source: PostgreSQL " + p.version()));
            tgt.ifPresent(p -> out.println("target: PostgreSQL " + p.version()));
            out.println(tools == null ? "pg_dump/pg_restore: not found: " + toolsProblem
                    : "pg_dump/pg_restore " + tools.version() + " (" + tools.directory() + "): " + tools.reason());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Optional<ServerPing> server(Side side, String value) {
        if (value == null) {
            return Optional.empty();
        }
        ConnectionSpec spec = ConnectionArguments.parse(context, "--" + side.label(), value);
        return Optional.of(ServerPing.of(spec, side));
    }

    private static String server(ServerPing p) {
        return CliJson.obj().str("version", p.version()).num("version_num", p.versionNumber()).toString();
    }
}
