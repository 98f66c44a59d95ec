package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.model.ConstraintDefinition;
import io.pgcopydb.model.IndexDefinition;
import io.pgcopydb.model.QualifiedName;
import io.pgcopydb.model.TablePart;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.sample.SampleDatabase;
import io.pgcopydb.testkit.server.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy between two roles that must give a password (SCRAM over TCP) leaves the passwords in none of the places
 * a user, a log shipper or another local user can read: the log, exception texts, the report, the work
 * directory, listener events and the command lines of the child tools. The tools' environment may hold
 * {@code PGPASSWORD}: only the process owner can read it.
 */
@ExtendWith(PostgresPairExtension.class)
class SecretsIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<String> TOOLS = Set.of("pg_dump", "pg_restore", "pg_dumpall");

    private final String suffix = "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    private final String sourceRole = "src_pw" + suffix;
    private final String targetRole = "tgt_pw" + suffix;
    // Letters and digits only, so no encoded form (%xx in a URI) could hide a leak from the search.
    private final String sourcePassword = "SrcPw" + randomHex();
    private final String targetPassword = "TgtPw" + randomHex();
    private DatabasePair pair;

    @BeforeEach
    void rolesThatMustGiveTheirPasswords(DatabasePair pair) {
        this.pair = pair;
        pair.source().server().createPasswordRole(sourceRole, sourcePassword);
        pair.source().execute("ALTER ROLE " + sourceRole + " SUPERUSER");
        pair.target().server().createPasswordRole(targetRole, targetPassword);
        pair.target().execute("ALTER ROLE " + targetRole + " SUPERUSER");
        pair.source().load(SampleDatabase.of(0.02));
    }

    @AfterEach
    void dropTheRoles() {
        dropRole(pair.source(), sourceRole);
        dropRole(pair.target(), targetRole);
    }

    @Test
    void aSuccessfulCopyShowsThePasswordsNowhere(@TempDir Path work) {
        Observed run = observe(builder().workDirectory(work));

        assertThat(run.failure).as("the copy failed").isNull();
        assertThat(run.report.status()).isEqualTo(CopyReport.Status.SUCCEEDED);
        CopyAssertions.assertIdentical(pair);
        assertNoSecret(run, work);
    }

    @Test
    void aFailingCopyShowsThePasswordsNowhere(@TempDir Path work) {
        // Fails after the preflight and the schema: every CREATE INDEX on the target is refused.
        pair.target().execute("""
                CREATE FUNCTION public.no_index() RETURNS event_trigger LANGUAGE plpgsql
                    AS $$ BEGIN RAISE EXCEPTION 'indexes are refused here'; END $$;
                CREATE EVENT TRIGGER no_index ON ddl_command_start WHEN TAG IN ('CREATE INDEX')
                    EXECUTE FUNCTION public.no_index();
                """);

        Observed run = observe(builder().workDirectory(work));

        assertThat(run.failure).as("the copy must fail").isNotNull();
        assertThat(run.failure.phase()).as("failed after the preflight")
                .hasValueSatisfying(p -> assertThat(p).isNotEqualTo(Phase.PREFLIGHT));
        assertThat(run.failure.getMessage()).contains("indexes are refused here");
        assertThat(run.failure.code()).isEqualTo(ErrorCode.COPY_FAILED);
        assertThat(run.failure.problems()).isNotEmpty()
                .allSatisfy(p -> assertThat(p.code()).isEqualTo(ErrorCode.COPY_FAILED))
                .anySatisfy(p -> {
                    assertThat(p.sqlState()).as(p.toString()).contains("P0001");
                    assertThat(p.object()).hasValueSatisfying(o -> assertThat(o).startsWith("index "));
                });
        assertThat(run.failure.object()).hasValueSatisfying(o -> assertThat(o).startsWith("index "));
        assertThat(run.failure.sqlState()).contains("P0001");
        assertThat(work.resolve("schema.dump")).as("the failed run kept its work directory").exists();
        assertNoSecret(run, work);
    }

    private CopyBuilder builder() {
        return DatabaseCopy.from(uri(pair.source(), sourceRole, sourcePassword))
                .to(uri(pair.target(), targetRole, targetPassword)).jobs(2).indexJobs(2);
    }

    private static String uri(TestDatabase db, String role, String password) {
        return "postgres://" + role + ":" + password + "@" + db.server().host() + ":" + db.server().port() + "/"
                + db.name();
    }

    /** What a run showed: its log, its outcome, what listeners saw and the command lines of its children. */
    private static final class Observed {
        String log;
        CopyReport report;
        PgCopyException failure;
        final List<String> listenerTexts = new CopyOnWriteArrayList<>();
        ChildProcessWatch children;
    }

    private Observed observe(CopyBuilder builder) {
        Observed run = new Observed();
        RecordingListener recording = new RecordingListener();
        builder.listener(recording).listener(new TextCollector(run.listenerTexts));
        run.listenerTexts.add(builder.options().toString());
        try (ChildProcessWatch watch = new ChildProcessWatch(List.of(sourcePassword, targetPassword))) {
            run.children = watch;
            run.log = LogCapture.capture(() -> {
                try {
                    run.report = builder.run();
                } catch (PgCopyException e) {
                    run.failure = e;
                }
            });
        }
        recording.assertPaired();
        recording.events().forEach(e -> run.listenerTexts.add(e.toString()));
        return run;
    }

    private void assertNoSecret(Observed run, Path work) {
        List<String> texts = new ArrayList<>();
        texts.add(run.log);
        CopyReport report = run.report;
        if (run.failure != null) {
            texts.add(run.failure.toString());
            texts.add(stackTrace(run.failure));
            run.failure.problems().forEach(p -> texts.add(p.toString() + " " + p.object() + " " + p.sqlState()));
            report = run.failure.partialReport().orElseThrow();
        }
        texts.addAll(List.of(report.toString(), report.summaryTable(), report.stepTable(), report.toJson()));
        texts.addAll(run.listenerTexts);
        Map<Path, String> files = filesUnder(work);

        assertThat(run.log).as("the log was captured").contains("STEP 1");
        assertThat(files).as("the work directory was written").containsKey(work.resolve("schema.dump"));
        assertThat(run.children.toolCommandLines()).as("child tools seen while the copy ran")
                .anyMatch(c -> c.contains("/pg_dump ")).anyMatch(c -> c.contains("/pg_restore "));
        for (String secret : List.of(sourcePassword, targetPassword)) {
            assertThat(texts).as("log, exception, report and listener texts").filteredOn(t -> t.contains(secret))
                    .isEmpty();
            files.forEach((file, content) -> assertThat(content).as("work directory file %s", file)
                    .doesNotContain(secret));
        }
        assertThat(run.children.leaks()).as("command lines of any process holding a password").isEmpty();
    }

    private static Map<Path, String> filesUnder(Path dir) {
        Map<Path, String> files = new ConcurrentHashMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                // Latin-1 maps every byte to one char: binary files (the custom-format dump) are searched too.
                files.put(p, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void dropRole(TestDatabase db, String role) {
        String admin = db.server().user();
        db.execute("REASSIGN OWNED BY " + role + " TO " + admin + "; DROP OWNED BY " + role);
        db.server().execute(db.server().maintenanceDatabase(), "DROP ROLE " + role);
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static String randomHex() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Keeps the text of everything a listener is handed that could carry a secret: errors and table parts. */
    private static final class TextCollector implements CopyListener {
        private final List<String> texts;

        TextCollector(List<String> texts) {
            this.texts = texts;
        }

        @Override
        public void runStarted(String runId, CopyOptions options) {
            texts.add(options.toString());
        }

        @Override
        public void phaseFailed(Phase phase, Throwable error) {
            texts.add(stackTrace(error));
        }

        @Override
        public void tableCopyStarted(TablePart part) {
            texts.add(part.toString());
        }

        @Override
        public void tableCopyFailed(TablePart part, Throwable error) {
            texts.add(stackTrace(error));
        }

        @Override
        public void indexFailed(IndexDefinition index, Throwable error) {
            texts.add(index + " " + stackTrace(error));
        }

        @Override
        public void constraintFailed(ConstraintDefinition constraint, Throwable error) {
            texts.add(stackTrace(error));
        }

        @Override
        public void vacuumFailed(QualifiedName table, Throwable error) {
            texts.add(stackTrace(error));
        }

        @Override
        public void sequencesFailed(Throwable error) {
            texts.add(stackTrace(error));
        }

        @Override
        public void largeObjectsFailed(Throwable error) {
            texts.add(stackTrace(error));
        }
    }

    /**
     * Polls {@code /proc/*}{@code /cmdline} while a copy runs: records the command lines of this JVM's
     * pg_dump / pg_restore children, and of any process whatsoever whose command line holds a secret.
     */
    private static final class ChildProcessWatch implements AutoCloseable {
        private final List<String> secrets;
        private final Set<String> toolCommandLines = ConcurrentHashMap.newKeySet();
        private final List<String> leaks = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean stopped;

        ChildProcessWatch(List<String> secrets) {
            this.secrets = secrets;
            this.thread = new Thread(this::poll, "secrets-it-proc-watch");
            thread.setDaemon(true);
            thread.start();
        }

        Set<String> toolCommandLines() {
            return Set.copyOf(toolCommandLines);
        }

        List<String> leaks() {
            return List.copyOf(leaks);
        }

        private void poll() {
            long self = ProcessHandle.current().pid();
            while (!stopped) {
                try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
                        p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
                    for (Path process : processes) {
                        inspect(process, self);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void inspect(Path process, long self) {
            String commandLine;
            try {
                commandLine = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ').strip();
            } catch (IOException gone) {
                return;
            }
            for (String secret : secrets) {
                if (commandLine.contains(secret)) {
                    leaks.add(process + ": " + commandLine);
                }
            }
            String program = commandLine.split(" ", 2)[0];
            String name = program.substring(program.lastIndexOf('/') + 1);
            long pid = Long.parseLong(process.getFileName().toString());
            if (TOOLS.contains(name) && ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                    .map(ProcessHandle::pid).orElse(-1L) == self) {
                toolCommandLines.add(commandLine);
            }
        }

        @Override
        public void close() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
