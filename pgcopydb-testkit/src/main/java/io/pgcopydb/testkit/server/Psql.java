package io.pgcopydb.testkit.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs SQL script files through {@code psql}, the way a person loads a dump. */
final class Psql {
    private final PostgresServer server;
    private final Path psql;

    private Psql(PostgresServer server, Path psql) {
        this.server = server;
        this.psql = psql;
    }

    static Psql forServer(PostgresServer server) {
        Path psql = server.binDirectory().map(d -> d.resolve("psql")).filter(Files::isExecutable)
                .or(Psql::onPath)
                .or(() -> PostgresBinaries.find(System.getenv(), x -> Optional.empty())
                        .map(b -> b.tool("psql")).filter(Files::isExecutable))
                .orElseThrow(() -> new TestkitException(
                        "psql not found on PATH nor in /usr/lib/postgresql/*/bin: install the PostgreSQL client"));
        return new Psql(server, psql);
    }

    void runFile(String database, Path file) {
        runFile(database, file, Map.of());
    }

    /** Runs {@code file} with each entry of {@code variables} passed as {@code -v name=value}. */
    void runFile(String database, Path file, Map<String, String> variables) {
        if (!Files.isReadable(file)) {
            throw new TestkitException("cannot read SQL file " + file);
        }
        List<String> command = new ArrayList<>(List.of(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1"));
        // sorted, so the command line is the same from run to run
        new TreeMap<>(variables).forEach((name, value) -> {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not a psql variable name: " + name);
            }
            command.add("-v");
            command.add(name + "=" + value);
        });
        command.addAll(List.of("-h", server.host(), "-p", Integer.toString(server.port()), "-U", server.user(),
                "-d", database, "-f", file.toAbsolutePath().toString()));
        Map<String, String> env = new HashMap<>(server.clientEnvironment());
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGOPTIONS", "-c client_min_messages=warning");
        Commands.runOrThrow(command, env, "psql -f " + file.getFileName());
    }

    private static Optional<Path> onPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "psql"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
