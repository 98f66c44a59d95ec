package io.pgcopydb.cli;

import static io.pgcopydb.cli.CommandRun.connectionString;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgcopydb's follow commands with their names: {@code stream setup}, {@code stream cleanup},
 * {@code stream sentinel set endpos (LSN | --current)}, {@code stream sentinel get}; refusals in one line.
 */
@ExtendWith(PostgresPairExtension.class)
class StreamCommandIT {

    @Test
    void setupThenCleanupLeavesNothingAndTheSentinelRoundTrips(DatabasePair pair, @TempDir Path dir) {
        pair.source().execute("CREATE TABLE public.keyed (id int PRIMARY KEY, v text)");
        String source = connectionString(pair.source());
        String target = connectionString(pair.target());

        CommandRun setup = CommandRun.execute("stream", "setup", "--source", source, "--target", target, "--dir",
                dir.toString(), "--slot-name", "stream_cli", "--origin", "stream_cli");
        assertThat(setup.exitCode()).as(setup.toString()).isZero();
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = "
                + "'stream_cli'")).isEqualTo(1);

        CommandRun set = CommandRun.execute("stream", "sentinel", "set", "endpos", "--source", source, "--dir",
                dir.toString(), "--current");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out().strip()).matches("endpos [0-9A-F]+/[0-9A-F]+");
        CommandRun get = CommandRun.execute("stream", "sentinel", "get", "--source", source, "--dir",
                dir.toString());
        assertThat(get.out().strip()).isEqualTo(set.out().strip());
        CommandRun explicit = CommandRun.execute("stream", "sentinel", "set", "endpos", "0/16B3748", "--source",
                source, "--dir", dir.toString());
        assertThat(explicit.exitCode()).as(explicit.toString()).isZero();
        assertThat(CommandRun.execute("stream", "sentinel", "get", "--source", source, "--dir", dir.toString())
                .out().strip()).isEqualTo("endpos 0/16B3748");

        CommandRun cleanup = CommandRun.execute("stream", "cleanup", "--source", source, "--target", target,
                "--dir", dir.toString(), "--slot-name", "stream_cli", "--origin", "stream_cli");
        assertThat(cleanup.exitCode()).as(cleanup.toString()).isZero();
        assertThat(cleanup.out()).contains("Dropped replication slot stream_cli, publication stream_cli, "
                + "replication origin stream_cli");
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = "
                + "'stream_cli'")).isZero();
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_publication WHERE pubname = 'stream_cli'"))
                .isZero();
        assertThat(pair.target().queryForLong("SELECT count(*) FROM pg_replication_origin WHERE roname = "
                + "'stream_cli'")).isZero();
    }

    @Test
    void aTableWithoutKeyIsRefusedInOneLineAndBadInputIsAUsageError(DatabasePair pair, @TempDir Path dir) {
        pair.source().execute("CREATE TABLE public.nokey (v text)");
        String source = connectionString(pair.source());
        String target = connectionString(pair.target());

        CommandRun refused = CommandRun.execute("clone", "--follow", "--source", source, "--target", target,
                "--dir", dir.toString(), "--slot-name", "refused_cli");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("table public.nokey has neither a primary key nor a replica identity",
                "REPLICA IDENTITY FULL").doesNotContain("\tat ");
        assertThat(pair.source().queryForLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = "
                + "'refused_cli'")).isZero();

        CommandRun unreachable = CommandRun.execute("stream", "setup", "--source", source, "--target",
                "postgres://postgres@127.0.0.1:1/nowhere", "--dir", dir.toString());
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        assertThat(unreachable.err()).contains("127.0.0.1:1").doesNotContain("\tat ");

        CommandRun neither = CommandRun.execute("stream", "sentinel", "set", "endpos", "--source", source, "--dir",
                dir.toString());
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.err()).contains("give either an LSN or --current");
        CommandRun badLsn = CommandRun.execute("clone", "--follow", "--endpos", "nowhere", "--source", source,
                "--target", target);
        assertThat(badLsn.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badLsn.err()).contains("--endpos", "0/16B3748");
    }
}
