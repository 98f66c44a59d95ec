package io.pgcopydb.cli;

import io.pgcopydb.PgCopyException;
import io.pgcopydb.ServerPing;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgcopydb ping --source URI --target URI [--json]}: connects to each server given (option or environment
 * variable), prints its version, the time to connect and one round trip. When one cannot be reached the others are
 * still tried and printed; then its one-line reason goes to standard error and the exit code is 3.
 *
 * <p>JSON: {@code {"source":{ok, uri, version, version_num, connect_ms, round_trip_ms} | {ok:false, uri, error},
 * "target":…}}, a side absent when it was not given; times in milliseconds with three decimals.
 */
@Command(name = "ping", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Connect to the source and target servers and print their version and round-trip time.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every server answered", "2:bad arguments", "3:a server could not be reached"})
public final class PingCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", paramLabel = "URI", order = 1,
            description = "Source database (or $" + ConnectionArguments.SOURCE_VARIABLE + ").")
    private String source;

    @Option(names = "--target", paramLabel = "URI", order = 2,
            description = "Target database (or $" + ConnectionArguments.TARGET_VARIABLE + ").")
    private String target;

    @Option(names = "--json", order = 3, description = "Print one JSON object.")
    private boolean json;

    @Mixin
    private DebugOption debug;

    /**
     * A command reading its environment fallbacks from {@code context}.
     *
     * @param context the invocation's environment and debug flag
     */
    public PingCommand(CliContext context) {
        this.context = context;
        this.debug = new DebugOption(context);
    }

    /** One side pinged: what it answered, or why it could not. */
    private record Outcome(Side side, ConnectionSpec server, Optional<ServerPing> ping,
            Optional<PgCopyException> failure) {
    }

    @Override
    public Integer call() {
        List<Outcome> outcomes = new ArrayList<>();
        side(Side.SOURCE, source, ConnectionArguments.SOURCE_VARIABLE).ifPresent(s -> outcomes.add(ping(Side.SOURCE, s)));
        side(Side.TARGET, target, ConnectionArguments.TARGET_VARIABLE).ifPresent(s -> outcomes.add(ping(Side.TARGET, s)));
        if (outcomes.isEmpty()) {
            throw new UsageException("nothing to ping: give --source URI and/or --target URI (or set "
                    + ConnectionArguments.SOURCE_VARIABLE + " / " + ConnectionArguments.TARGET_VARIABLE + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            CliJson.Obj doc = CliJson.obj();
            outcomes.forEach(o -> doc.raw(o.side().label(), json(o)));
            out.println(doc);
        } else {
            outcomes.stream().filter(o -> o.ping().isPresent()).forEach(o -> out.println(text(o)));
        }
        out.flush();
        Optional<PgCopyException> failed = outcomes.stream().flatMap(o -> o.failure().stream()).findFirst();
        if (failed.isPresent()) {
            throw failed.get();
        }
        return ExitCodes.OK;
    }

    private Optional<ConnectionSpec> side(Side side, String value, String variable) {
        if (value != null) {
            return Optional.of(ConnectionArguments.parse(context, "--" + side.label(), value));
        }
        return context.variable(variable).map(v -> ConnectionArguments.parse(context, variable, v));
    }

    private static Outcome ping(Side side, ConnectionSpec server) {
        try {
            return new Outcome(side, server, Optional.of(ServerPing.of(server, side)), Optional.empty());
        } catch (PgCopyException e) {
            return new Outcome(side, server, Optional.empty(), Optional.of(e));
        }
    }

    private static String text(Outcome o) {
        ServerPing p = o.ping().orElseThrow();
        return String.format(Locale.ROOT, "%-6s PostgreSQL %s, connected in %s, round trip %s: %s",
                o.side().label(), p.version(), millis(p.connect().toNanos()), millis(p.roundTrip().toNanos()),
                o.server().toUri());
    }

    private static String json(Outcome o) {
        CliJson.Obj obj = CliJson.obj().bool("ok", o.ping().isPresent()).str("uri", o.server().toUri());
        o.ping().ifPresent(p -> obj.str("version", p.version()).num("version_num", p.versionNumber())
                .raw("connect_ms", ms(p.connect().toNanos())).raw("round_trip_ms", ms(p.roundTrip().toNanos())));
        o.failure().ifPresent(e -> obj.str("error", Secrets.mask(FlagWording.rewrite(e.getMessage()))));
        return obj.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
