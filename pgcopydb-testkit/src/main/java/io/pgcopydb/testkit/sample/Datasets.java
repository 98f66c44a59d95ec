package io.pgcopydb.testkit.sample;

import io.pgcopydb.testkit.server.TestDatabase;
import io.pgcopydb.testkit.server.TestkitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real sample databases kept in {@code shared/datasets/} beside the repository (never copied into it).
 *
 * <p>The folder is found from {@code PGCOPYDB_DATASETS} when set, else by walking up from the working
 * directory looking for {@code shared/datasets} or {@code ../shared/datasets}. Tests that need a dataset call
 * {@link #require(String)} inside a JUnit assumption helper such as {@link #assumePresent(String)} so they are
 * skipped, with the reason, when the folder is absent.
 */
public final class Datasets {
    /** Environment variable that overrides where the datasets folder is. */
    public static final String DATASETS_VARIABLE = "PGCOPYDB_DATASETS";

    /** Pagila's row counts that loading must reproduce. */
    public static final Map<String, Long> PAGILA_ROW_COUNTS = Map.of(
            "public.rental", 16_044L, "public.payment", 16_049L, "public.film", 1_000L);

    private Datasets() {
    }

    /** The datasets folder, when it can be found. */
    public static Optional<Path> directory() {
        String configured = System.getenv(DATASETS_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isDirectory);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared/datasets"), dir.resolve("../shared/datasets"))) {
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether dataset {@code name} (a folder such as {@code pagila}) is present. */
    public static boolean isPresent(String name) {
        return directory().map(d -> d.resolve(name)).filter(Files::isDirectory).isPresent();
    }

    /** Why dataset {@code name} is missing, for a skipped test's reason. */
    public static String absenceReason(String name) {
        return "dataset '" + name + "' not found: expected shared/datasets/" + name
                + " beside the repository, or set " + DATASETS_VARIABLE;
    }

    /**
     * Aborts the current JUnit test (reported as skipped, with the reason) when dataset {@code name} is absent.
     */
    public static void assumePresent(String name) {
        org.junit.jupiter.api.Assumptions.assumeTrue(isPresent(name), () -> absenceReason(name));
    }

    /**
     * The folder of dataset {@code name}.
     *
     * @throws TestkitException with {@link #absenceReason(String)} when it is missing
     */
    public static Path require(String name) {
        return directory().map(d -> d.resolve(name)).filter(Files::isDirectory)
                .orElseThrow(() -> new TestkitException(absenceReason(name)));
    }

    /** Loads pagila (schema then data) into {@code database} through psql. */
    public static void loadPagila(TestDatabase database) {
        Path dir = require("pagila");
        database.loadSqlFile(dir.resolve("pagila-schema.sql"));
        database.loadSqlFile(dir.resolve("pagila-data.sql"));
    }

    /** Loads chinook into {@code database} through psql. */
    public static void loadChinook(TestDatabase database) {
        database.loadSqlFile(require("chinook").resolve("chinook.sql"));
    }
}
