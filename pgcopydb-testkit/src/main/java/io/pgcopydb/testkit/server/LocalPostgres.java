package io.pgcopydb.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster created with {@code initdb} in a temporary directory and started with {@code pg_ctl} on a
 * free loopback port, with {@code fsync=off}. When the JVM runs as root the server runs as the {@code postgres}
 * OS user (initdb refuses root).
 *
 * <p>{@link #close()} stops the server ({@code pg_ctl stop -m immediate}) and deletes the directory; a JVM
 * shutdown hook does the same if the caller never closes it. {@link #crash()} and {@link #startAgain()} stop it
 * the same way and start it again on the same port and data directory, for tests of a server crash. Thread-safe.
 */
public final class LocalPostgres implements PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private final PostgresBinaries binaries;
    private final Path baseDirectory;
    private final int port;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalPostgres(PostgresBinaries binaries, Path baseDirectory, int port) {
        this.binaries = binaries;
        this.baseDirectory = baseDirectory;
        this.port = port;
        this.shutdownHook = new Thread(this::stopOnce, "pgcopydb-testkit-stop-" + port);
    }

    /** Starts a new cluster with binaries found by {@link PostgresBinaries#locate()}. */
    public static LocalPostgres start() {
        return start(PostgresBinaries.locate());
    }

    /**
     * Starts a new cluster with the given binaries.
     *
     * @throws TestkitException when initdb or pg_ctl fails; the message carries the server log's tail
     */
    public static LocalPostgres start(PostgresBinaries binaries) {
        return start(binaries, createBaseDirectory(null));
    }

    /**
     * Starts a new cluster whose data directory is in memory ({@code /dev/shm}, a tmpfs), as fixture servers are
     * best run: {@code CREATE DATABASE … TEMPLATE} copies files, and on a disk shared with busy neighbours the
     * kernel's write-back throttling made one copy of a 16 MB database take 1–1.5 s instead of 20–70 ms. Falls back
     * to the temporary directory, with a warning, where {@code /dev/shm} is missing or not writable.
     */
    public static LocalPostgres startInMemory() {
        return startInMemory(PostgresBinaries.locate());
    }

    /** {@link #startInMemory()} with the given binaries. */
    public static LocalPostgres startInMemory(PostgresBinaries binaries) {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return start(binaries, createBaseDirectory(shm));
        }
        LOG.warn("no writable /dev/shm: the test server's data directory stays on disk");
        return start(binaries, createBaseDirectory(null));
    }

    private static LocalPostgres start(PostgresBinaries binaries, Path base) {
        try {
            initdb(binaries, base);
            TestkitException last = null;
            // A free port can be taken by someone else between probing and binding: try a few.
            for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                LocalPostgres server = new LocalPostgres(binaries, base, freePort());
                try {
                    server.startServer();
                    return server;
                } catch (TestkitException e) {
                    last = e;
                }
            }
            throw last;
        } catch (RuntimeException e) {
            TempDirectories.deleteRecursively(base);
            throw e;
        }
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public Optional<String> password() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> binDirectory() {
        return Optional.of(binaries.directory());
    }

    /**
     * Creates the role, then puts a {@code host … scram-sha-256} line for it on 127.0.0.1 before the cluster's
     * {@code trust} lines and reloads the configuration; returns once a wrong password is refused. Other roles
     * keep connecting without a password.
     */
    @Override
    public synchronized void createPasswordRole(String name, String password) {
        PostgresServer.super.createPasswordRole(name, password);
        Path hba = dataDirectory().resolve("pg_hba.conf");
        try {
            // The first matching line wins: ahead of initdb's trust lines.
            Files.writeString(hba, "host all " + name + " " + HOST + "/32 scram-sha-256\n"
                    + Files.readString(hba, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TestkitException("cannot edit " + hba + ": " + e.getMessage(), e);
        }
        execute(maintenanceDatabase(), "SELECT pg_reload_conf()");
        awaitPasswordRequired(name, password);
    }

    /** pg_reload_conf() only signals the postmaster: wait until new connections see the line. */
    private void awaitPasswordRequired(String role, String password) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", "not-" + password);
        while (true) {
            try (Connection c = DriverManager.getConnection(jdbcUrl(maintenanceDatabase()), props)) {
                if (System.nanoTime() > deadline) {
                    throw new TestkitException("role " + role + " still connects without its password after "
                            + "reloading pg_hba.conf on " + this);
                }
            } catch (SQLException refused) {
                if ("28P01".equals(refused.getSQLState())) {
                    return;
                }
                throw new TestkitException("role " + role + " cannot connect to " + this + ": "
                        + refused.getMessage(), refused);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestkitException("interrupted while reloading pg_hba.conf", e);
            }
        }
    }

    /** The temporary directory holding the cluster's data, socket and log; gone after {@link #close()}. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** The postmaster's process id, while the server runs. */
    public OptionalLong postmasterPid() {
        Path pidFile = dataDirectory().resolve("postmaster.pid");
        try {
            String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).strip();
            return OptionalLong.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Crashes the server as its clients would see a power cut: {@code pg_ctl stop -m immediate} (no shutdown
     * checkpoint, every session cut, open transactions lost). What was committed survives, as on a server with
     * {@code synchronous_commit = on}: these servers commit asynchronously, so the WAL is flushed first. The
     * data directory stays; {@link #startAgain()} brings the server back on the same port, after crash recovery.
     *
     * @throws TestkitException when the server is closed or pg_ctl fails
     */
    public synchronized void crash() {
        checkOpen();
        // A synchronous commit that wrote WAL (one that wrote none is not flushed) flushes the WAL up to it, every
        // earlier asynchronous commit included.
        execute(maintenanceDatabase(), "SET synchronous_commit = on; CREATE TEMPORARY TABLE testkit_flush ()");
        OptionalLong pid = postmasterPid();
        Commands.Result r = pgCtl(List.of("-m", "immediate", "-w", "-t", "30", "stop"));
        if (!r.ok()) {
            throw new TestkitException("pg_ctl stop -m immediate failed for " + this + ": "
                    + Commands.tail(r.output()));
        }
        pid.ifPresent(LocalPostgres::awaitExit);
        LOG.debug("crashed {}", this);
    }

    /**
     * Starts the server again on the same port and data directory, after {@link #crash()}; returns once it
     * accepts connections (crash recovery done).
     *
     * @throws TestkitException when the server is closed or does not start; the message carries the log's tail
     */
    public synchronized void startAgain() {
        checkOpen();
        Commands.Result r = pgCtlStart();
        if (!r.ok()) {
            throw new TestkitException("pg_ctl start failed again on port " + port + ": " + Commands.tail(r.output())
                    + "\n" + Commands.tail(serverLog()));
        }
        LOG.debug("started {} again", this);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new TestkitException(this + " is closed");
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook may be running too: stopOnce lets only one of them stop and delete
        }
        stopOnce();
    }

    /** Called by close() and by the shutdown hook, possibly at the same time: only the first one acts. */
    private void stopOnce() {
        if (closed.compareAndSet(false, true)) {
            stopAndDelete();
        }
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + HOST + ":" + port + ", " + binaries + "]";
    }

    private Path dataDirectory() {
        return baseDirectory.resolve("data");
    }

    private void startServer() {
        writeSettings();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Commands.Result r = pgCtlStart();
        if (!r.ok()) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            stopQuietly();
            throw new TestkitException("pg_ctl start failed on port " + port + ": " + Commands.tail(r.output())
                    + "\n" + Commands.tail(serverLog()));
        }
        LOG.debug("started PostgreSQL {} on port {} in {}", binaries, port, baseDirectory);
    }

    private Commands.Result pgCtlStart() {
        return Commands.run(OsUser.asServerUser(List.of(binaries.tool("pg_ctl").toString(),
                "-D", dataDirectory().toString(), "-l", baseDirectory.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port, "start")), Map.of(), Duration.ofSeconds(90));
    }

    private Commands.Result pgCtl(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(binaries.tool("pg_ctl").toString(), "-D",
                dataDirectory().toString()));
        command.addAll(arguments);
        return Commands.run(OsUser.asServerUser(command), Map.of(), Duration.ofSeconds(60));
    }

    private void writeSettings() {
        // Settings for throwaway test clusters: durability off, enough connections for parallel copies.
        String settings = String.join("\n",
                "",
                "listen_addresses = '" + HOST + "'",
                "unix_socket_directories = '" + baseDirectory + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 200",
                "shared_buffers = 128MB",
                "max_wal_size = 2GB",
                "max_locks_per_transaction = 256",
                // Logical decoding for the follow (change data capture) tests: slots, WAL senders, origins.
                "wal_level = logical",
                "max_replication_slots = 20",
                "max_wal_senders = 20",
                "logging_collector = off",
                "log_min_messages = warning",
                "");
        try {
            Files.writeString(dataDirectory().resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopAndDelete() {
        stopQuietly();
        TempDirectories.deleteRecursively(baseDirectory);
    }

    private void stopQuietly() {
        OptionalLong pid = postmasterPid();
        if (Files.exists(dataDirectory().resolve("postmaster.pid"))) {
            Commands.Result r = pgCtl(List.of("-m", "immediate", "-w", "-t", "30", "stop"));
            if (!r.ok()) {
                LOG.warn("pg_ctl stop failed for {}: {}", this, Commands.tail(r.output()));
            }
        }
        pid.ifPresent(LocalPostgres::awaitExit);
    }

    /** pg_ctl returns once the pid file is gone; the postmaster may still be exiting. Wait, then insist. */
    private static void awaitExit(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (isRunning(pid) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (isRunning(pid)) {
            Commands.run(OsUser.asServerUser(List.of("kill", "-KILL", Long.toString(pid))), Map.of());
        }
    }

    /** Alive and not a zombie waiting for a parent that never reaps it. */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private String serverLog() {
        try {
            return Files.readString(baseDirectory.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private static void initdb(PostgresBinaries binaries, Path base) {
        Commands.runOrThrow(OsUser.asServerUser(List.of(binaries.tool("initdb").toString(),
                "-D", base.resolve("data").toString(), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")), Map.of(), "initdb");
    }

    /** A new base directory under {@code parent}, or under the system's temporary directory when it is null. */
    private static Path createBaseDirectory(Path parent) {
        try {
            Path base = parent == null ? Files.createTempDirectory("pgcopydb-pg-")
                    : Files.createTempDirectory(parent, "pgcopydb-pg-");
            if (OsUser.isRoot()) {
                UserPrincipalLookupService users = base.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(base, users.lookupPrincipalByName(OsUser.SERVER_USER));
            }
            return base;
        } catch (IOException e) {
            throw new TestkitException("cannot create a temporary directory for a test server: " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new TestkitException("no free TCP port on " + HOST + ": " + e.getMessage(), e);
        }
    }
}
