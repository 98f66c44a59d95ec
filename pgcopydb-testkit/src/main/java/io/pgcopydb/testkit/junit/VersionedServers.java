package io.pgcopydb.testkit.junit;

import io.pgcopydb.testkit.server.LocalPostgres;
import io.pgcopydb.testkit.server.PostgresBinaries;
import io.pgcopydb.testkit.server.PostgresServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's servers by major version, started on first use and closed by JUnit when the root store closes.
 * Slot 0 of a version serves every pair using it; slot 1 only the target of a pair whose two sides have that
 * version. Thread-safe.
 */
final class VersionedServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VersionedServers.class);
    private final Map<String, PostgresServer> servers = new LinkedHashMap<>();

    /** The servers of a pair of {@code sourceMajor} → {@code targetMajor}, started if need be. */
    synchronized List<PostgresServer> pair(int sourceMajor, int targetMajor) {
        PostgresServer source = server(sourceMajor, 0);
        PostgresServer target = server(targetMajor, sourceMajor == targetMajor ? 1 : 0);
        return List.of(source, target);
    }

    /** How many servers this run started so far. */
    synchronized int started() {
        return servers.size();
    }

    private PostgresServer server(int major, int slot) {
        return servers.computeIfAbsent(major + "/" + slot, k -> {
            long start = System.nanoTime();
            LocalPostgres server = LocalPostgres.start(PostgresBinaries.forMajor(major));
            LOG.info("started PostgreSQL {} for versioned pairs in {} ms: {}", major,
                    (System.nanoTime() - start) / 1_000_000, server);
            return server;
        });
    }

    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        for (PostgresServer server : new ArrayList<>(servers.values())) {
            try {
                server.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        servers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
