package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.testkit.fault.TcpProxy;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lost connections during a copy: a terminated backend is retried and the copy ends exact, with the retry in the
 * report; a server that stays unreachable fails the copy within the configured bound, with a message saying so.
 */
@ExtendWith(PostgresPairExtension.class)
class RetryIT {
    private static final String BIG = """
            CREATE TABLE public.big (id bigint PRIMARY KEY, payload text NOT NULL);
            INSERT INTO public.big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 400000) g;
            CREATE INDEX big_payload_idx ON public.big (payload);
            CREATE TABLE public.small (id serial PRIMARY KEY, big_id bigint REFERENCES public.big);
            INSERT INTO public.small (big_id) SELECT g FROM generate_series(1, 1000) g;
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"source", "target"})
    void aBackendTerminatedDuringCopyIsRetriedAndTheCopyEndsExact(String side, DatabasePair pair) {
        pair.source().execute(BIG);
        TestDatabase killed = side.equals("source") ? pair.source() : pair.target();
        String copyQuery = side.equals("source") ? "COPY \"public\".\"big\" %TO STDOUT%"
                : "COPY \"public\".\"big\" %FROM STDIN%";
        AtomicInteger terminated = new AtomicInteger();
        CopyStreamer terminatingOnce = (part, context, progress) -> {
            if (part.table().name().name().equals("big") && terminated.get() == 0) {
                Thread killer = new Thread(() -> terminated.set(terminateWhenSeen(killed, copyQuery)));
                killer.start();
            }
            return CopyStreamer.standard().copy(part, context, progress);
        };
        RecordingListener listener = new RecordingListener();

        CopyReport report = CopyAssertions.copy(pair, listener, b -> b.copyStreamer(terminatingOnce));

        assertThat(terminated.get()).as("a COPY backend was terminated").isEqualTo(1);
        assertThat(report.succeeded()).isTrue();
        assertThat(report.retries()).singleElement().satisfies(r -> {
            assertThat(r.object()).isEqualTo("public.big");
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.phase()).isEqualTo(Phase.COPY_DATA);
            assertThat(r.sqlState()).hasValueSatisfying(s -> assertThat(s).isIn("57P01", "08006"));
        });
        assertThat(listener.events("retrying")).extracting(RecordingListener.Event::object)
                .containsExactly("public.big #2");
        assertThat(report.toJson()).contains("\"retries\":[{\"phase\":\"COPY_DATA\",\"object\":\"public.big\"");
        assertThat(report.failures()).isEmpty();
        CopyAssertions.assertIdentical(pair);
    }

    @Test
    void aBackendTerminatedDuringTheLargeObjectsStepIsRetriedAndTheCopyEndsExact(DatabasePair pair) {
        pair.source().execute("CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t VALUES (1);"
                + "SELECT lo_from_bytea(0, convert_to(repeat(g::text, 2000), 'UTF8')) FROM generate_series(1, 4000) g");
        AtomicInteger terminated = new AtomicInteger();
        CopyListener killer = new CopyListener() {
            @Override
            public void largeObjectsStarted(long count) {
                if (terminated.get() == 0) {
                    new Thread(() -> terminated.set(terminateWhenSeen(pair.target(), "%lo_%"))).start();
                }
            }
        };

        CopyReport report = CopyAssertions.copy(pair, new RecordingListener(), b -> b.largeObjectJobs(1)
                .listener(killer));

        assertThat(terminated.get()).as("a large-object backend was terminated").isEqualTo(1);
        assertThat(report.succeeded()).isTrue();
        assertThat(report.retries()).singleElement().satisfies(r -> {
            assertThat(r.object()).isEqualTo("large objects");
            assertThat(r.phase()).isEqualTo(Phase.LARGE_OBJECTS);
        });
        assertThat(report.largeObjects()).isEqualTo(4000);
        CopyAssertions.assertIdentical(pair);
    }

    /** Without a snapshot to lose (notConsistent), every COPY retries until its bound runs out. */
    @Test
    void aSourceThatStaysDownFailsWithinTheRetryBound(DatabasePair pair, @TempDir Path work) {
        pair.source().execute(BIG);
        try (TcpProxy proxy = TcpProxy.to(pair.source().server())) {
            ConnectionSpec source = ConnectionSpec.parse(proxy.uri(pair.source()));
            CopyListener networkDrops = dropOnFirstCopy(proxy, true);
            long start = System.nanoTime();

            PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy.from(source)
                    .to(CopyAssertions.spec(pair.target())).workDirectory(work).notConsistent().retries(10)
                    .retryTimeout(Duration.ofSeconds(4)).listener(networkDrops).run());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println("[measure] source down, retries(10) retryTimeout(4 s): failed after " + took.toMillis()
                    + " ms: " + e.getMessage());
            assertThat(e).isNotNull();
            assertThat(e.code()).as("the connection stayed lost").isEqualTo(ErrorCode.CONNECTION_LOST);
            assertThat(e.problems()).as("one per failure, each a connection that stayed lost").allSatisfy(p -> {
                assertThat(p.code()).isEqualTo(ErrorCode.CONNECTION_LOST);
                assertThat(p.object()).hasValueSatisfying(o -> assertThat(o).startsWith("COPY public."));
                assertThat(p.sqlState()).hasValueSatisfying(s -> assertThat(s).startsWith("08"));
                assertThat(p.remedy()).contains("resume()");
            }).anySatisfy(p -> assertThat(p.message()).contains("gave up after"))
                    .anySatisfy(p -> assertThat(p.object()).contains("COPY public.big"));
            assertThat(e.getMessage()).contains("public.big").contains("gave up after").contains("retryTimeout");
            assertThat(e.getMessage().lines()).hasSize(1);
            assertThat(e.partialReport()).hasValueSatisfying(r -> {
                assertThat(r.retries()).isNotEmpty();
                assertThat(r.failures()).anySatisfy(f -> assertThat(f.object()).isEqualTo("COPY public.big"));
            });
            assertThat(took).as("failed within the 4 s bound plus the run's own work").isLessThan(
                    Duration.ofSeconds(20));
        }
    }

    /** With a snapshot, losing the session that holds it ends the copy at once, saying how to finish it. */
    @Test
    void losingTheSnapshotSessionFailsAtOnceNamingTheWayToFinish(DatabasePair pair, @TempDir Path work) {
        pair.source().execute(BIG);
        try (TcpProxy proxy = TcpProxy.to(pair.source().server())) {
            ConnectionSpec source = ConnectionSpec.parse(proxy.uri(pair.source()));
            CopyListener networkDrops = dropOnFirstCopy(proxy, false);

            PgCopyException e = catchThrowableOfType(PgCopyException.class, () -> DatabaseCopy.from(source)
                    .to(CopyAssertions.spec(pair.target())).workDirectory(work).listener(networkDrops).run());

            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.SNAPSHOT_LOST);
            assertThat(e.problems().get(0)).satisfies(p -> {
                assertThat(p.code()).isEqualTo(ErrorCode.SNAPSHOT_LOST);
                assertThat(p.side()).contains(io.pgcopydb.model.Side.SOURCE);
                assertThat(p.remedy()).contains("resume()").contains("notConsistent()");
            });
            assertThat(e.getMessage()).contains("snapshot").contains("notConsistent()").contains("resume");
        }
    }

    /**
     * When the first COPY starts, cuts every connection through {@code proxy}, as a network failure would; with
     * {@code stayDown}, new connections are refused from then on.
     */
    private static CopyListener dropOnFirstCopy(TcpProxy proxy, boolean stayDown) {
        AtomicBoolean cut = new AtomicBoolean();
        return new CopyListener() {
            @Override
            public void tableCopyStarted(TablePart part) {
                if (cut.compareAndSet(false, true)) {
                    if (stayDown) {
                        proxy.refuseConnections();
                    }
                    proxy.cutConnections();
                }
            }
        };
    }

    /** Terminates the first backend running {@code query} (a LIKE pattern); 1 when one was terminated. */
    private static int terminateWhenSeen(TestDatabase db, String query) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String done = db.queryForString("SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '" + query
                    + "' LIMIT 1");
            if ("true".equals(done)) {
                return 1;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

}
