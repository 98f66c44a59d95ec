package io.pgcopydb.cli;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.Sql;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two servers of {@code bench}: two throwaway local servers it starts ({@link LocalPostgres}), or two servers
 * given by URI. On given servers it creates only databases that did not exist and drops only those: it refuses
 * to start when one of its names is taken. {@link #close()} drops what it created and stops what it started.
 */
final class BenchServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BenchServers.class);

    private final PostgresServer source;
    private final PostgresServer target;
    private final ConnectionSpec sourceSpec;
    private final ConnectionSpec targetSpec;
    private final boolean started;
    private final Set<TestDatabase> created = new LinkedHashSet<>();
    private final Set<PostgresServer> checkpointRefused = new LinkedHashSet<>();

    private BenchServers(PostgresServer source, PostgresServer target, ConnectionSpec sourceSpec,
            ConnectionSpec targetSpec, boolean started) {
        this.source = source;
        this.target = target;
        this.sourceSpec = sourceSpec;
        this.targetSpec = targetSpec;
        this.started = started;
    }

    /** Starts two throwaway local servers (the second on failure of the first is never started). */
    static BenchServers throwaway() {
        LocalPostgres source = LocalPostgres.start();
        try {
            LocalPostgres target = LocalPostgres.start();
            return new BenchServers(source, target, ConnectionSpec.parse(source.uri(source.maintenanceDatabase())),
                    ConnectionSpec.parse(target.uri(target.maintenanceDatabase())), true);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * The servers of two connection strings; their databases are only where {@code CREATE DATABASE} is sent.
     *
     * @throws UsageException when both carry a password and they differ: children get one {@code PGPASSWORD}
     */
    static BenchServers given(ConnectionSpec source, ConnectionSpec target) {
        if (source.password().isPresent() && target.password().isPresent()
                && !source.password().equals(target.password())) {
            throw new UsageException("--source and --target have different passwords: bench gives its child "
                    + "processes one PGPASSWORD for both servers; use one password or trust/peer authentication");
        }
        return new BenchServers(ConnectionSpecServer.database(source).server(),
                ConnectionSpecServer.database(target).server(), source, target, false);
    }

    /**
     * Refuses, before anything is created, when a database {@code bench} would create already exists: it was
     * not created by this run, so this run will not touch it. Throwaway servers hold none.
     *
     * @throws UsageException naming the first such database
     */
    void refuseExisting(Collection<String> sourceNames, Collection<String> targetNames) {
        if (started) {
            return;
        }
        refuseExisting(source, sourceSpec, sourceNames);
        refuseExisting(target, targetSpec, targetNames);
    }

    private static void refuseExisting(PostgresServer server, ConnectionSpec spec, Collection<String> names) {
        String list = names.stream().map(Sql::quoteLiteral).collect(Collectors.joining(", "));
        String taken = server.queryForString(server.maintenanceDatabase(),
                "SELECT min(datname) FROM pg_database WHERE datname IN (" + list + ")");
        if (taken != null) {
            throw new UsageException("database " + taken + " already exists on " + spec.withDatabase(taken)
                    + ": bench creates and drops only databases it created, so it will not touch it; drop it "
                    + "yourself or use other servers");
        }
    }

    /** Creates the source database {@code name}. */
    TestDatabase createSource(String name) {
        return create(source, name);
    }

    /** Creates the target database {@code name}. */
    TestDatabase createTarget(String name) {
        return create(target, name);
    }

    private TestDatabase create(PostgresServer server, String name) {
        server.createDatabase(name);
        TestDatabase db = new TestDatabase(server, name);
        created.add(db);
        return db;
    }

    /** Drops {@code db}, which this object created. */
    void drop(TestDatabase db) {
        if (!created.remove(db)) {
            throw new IllegalStateException(db + " was not created by bench");
        }
        db.server().dropDatabase(db.name());
    }

    /** The connection to {@code db} (with the password of its server, if any). */
    ConnectionSpec spec(TestDatabase db) {
        return (db.server() == source ? sourceSpec : targetSpec).withDatabase(db.name());
    }

    /** The password children get as {@code PGPASSWORD}, if a server needs one. */
    Optional<String> password() {
        return sourceSpec.password().or(targetSpec::password);
    }

    /** The throwaway servers' bin directory, whose {@code pg_dump} suits them. */
    Optional<Path> binDirectory() {
        return started ? source.binDirectory() : Optional.empty();
    }

    /** Where the servers came from, for the report; passwords masked. */
    String describe() {
        return started ? "two throwaway local servers (testkit: fsync off, shared_buffers 128MB)"
                : "source " + sourceSpec + ", target " + targetSpec;
    }

    /** {@code SHOW server_version} of the source, then of the target. */
    List<String> versions() {
        return List.of(source.queryForString(source.maintenanceDatabase(), "SHOW server_version"),
                target.queryForString(target.maintenanceDatabase(), "SHOW server_version"));
    }

    /**
     * {@code CHECKPOINT} on both servers, then {@code sync}, so that no copy pays for the dirty pages of the one
     * before it. A role without the right to (before PostgreSQL 15, not a superuser) is told once, in the log.
     */
    void checkpoint() {
        checkpointServers();
        // With fsync off, a checkpoint leaves the written files dirty in the page cache, and the kernel writes
        // them back later: during the next copy, which paid part of the previous one's write-back (~1.6 GB dirty
        // after a copy of the 1.5 GB database; sync then took 0.7 s). Written back now, every copy starts alike.
        syncFileSystems();
    }

    private static void syncFileSystems() {
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!sync.waitFor(5, TimeUnit.MINUTES)) {
                sync.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.debug("no sync before the copy: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkpointServers() {
        for (PostgresServer server : List.of(source, target)) {
            try {
                server.execute(server.maintenanceDatabase(), "CHECKPOINT");
            } catch (RuntimeException e) {
                if (checkpointRefused.add(server)) {
                    LOG.warn("CHECKPOINT refused on {}, copies run without one before them: {}", server,
                            ErrorReporter.oneLine(String.valueOf(e.getMessage())));
                }
            }
        }
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        if (!started) {
            for (TestDatabase db : List.copyOf(created)) {
                try {
                    drop(db);
                } catch (RuntimeException e) {
                    failures.add(e);
                    LOG.warn("could not drop {} on {}: {}", db.name(), db.server(), e.getMessage());
                }
            }
        } else if (!CancelOnShutdown.shuttingDown()) {
            // After Ctrl-C the testkit's own shutdown hooks are already stopping these servers.
            target.close();
            source.close();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
