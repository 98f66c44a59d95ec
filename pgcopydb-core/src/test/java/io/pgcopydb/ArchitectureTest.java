package io.pgcopydb;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.pgcopydb.internal.Wiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layout of docs/ARCHITECTURE.md, enforced. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/pgcopydb-testkit"))
            .importPackages("io.pgcopydb");

    /** Each package of the library is a slice of its own. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return c.getPackageName().startsWith("io.pgcopydb") && !c.getPackageName().startsWith("io.pgcopydb.testkit")
                    ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of pgcopydb-core";
        }
    };

    private static final DescribedPredicate<JavaClass> WIRING = equivalentTo(Wiring.class);

    @Test
    void packagesFormADownwardGraphWithTheWiringPointAsTheOnlyWayBack() {
        // The facade and the stages' factories reach the engine through Wiring, and the engine uses the facade's
        // types: that one door is the only edge allowed to point back up.
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles()
                .ignoreDependency(DescribedPredicate.alwaysTrue(), WIRING)
                .check(CLASSES);
    }

    @Test
    void publicPackagesReachTheEngineOnlyThroughTheWiringPoint() {
        noClasses().that().resideOutsideOfPackage("io.pgcopydb.internal..")
                .should().dependOnClassesThat(resideInAPackage("io.pgcopydb.internal..").and(not(WIRING)))
                .check(CLASSES);
    }

    @Test
    void internalPackagesAreLayeredAsDocsArchitectureDrawsThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("engine").definedBy("io.pgcopydb.internal.engine..")
                .layer("steps").definedBy("io.pgcopydb.internal.preflight..", "io.pgcopydb.internal.schema..",
                        "io.pgcopydb.internal.data..", "io.pgcopydb.internal.compare..",
                        "io.pgcopydb.internal.template..", "io.pgcopydb.internal.follow..")
                .layer("source").definedBy("io.pgcopydb.internal.filter..", "io.pgcopydb.internal.catalog..")
                .layer("run").definedBy("io.pgcopydb.internal.run..")
                .layer("base").definedBy("io.pgcopydb.internal.state..", "io.pgcopydb.internal.postgres..")
                .whereLayer("engine").mayNotBeAccessedByAnyLayer()
                .whereLayer("steps").mayOnlyBeAccessedByLayers("engine")
                .whereLayer("source").mayOnlyBeAccessedByLayers("engine", "steps")
                .whereLayer("run").mayOnlyBeAccessedByLayers("engine", "steps", "source")
                .whereLayer("base").mayOnlyBeAccessedByLayers("engine", "steps", "source", "run")
                .check(CLASSES);
    }

    @Test
    void theModelDependsOnNoOtherPackageOfTheLibrary() {
        noClasses().that().resideInAPackage("io.pgcopydb.model..")
                .should().dependOnClassesThat(resideInAPackage("io.pgcopydb..")
                        .and(not(resideInAPackage("io.pgcopydb.model.."))))
                .check(CLASSES);
    }

    @Test
    void connectionStringsDependOnNothingElseAndFiltersOnlyOnTheModel() {
        noClasses().that().resideInAPackage("io.pgcopydb.connection..")
                .should().dependOnClassesThat(resideInAPackage("io.pgcopydb..")
                        .and(not(resideInAPackage("io.pgcopydb.connection.."))))
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.pgcopydb.filter..")
                .should().dependOnClassesThat(resideInAPackage("io.pgcopydb..")
                        .and(not(resideInAPackage("io.pgcopydb.filter..")))
                        .and(not(resideInAPackage("io.pgcopydb.model.."))))
                .check(CLASSES);
    }

    @Test
    void theComparisonDependsOnlyOnConnectionFilterAndModel() {
        noClasses().that().resideInAPackage("io.pgcopydb.compare..")
                .should().dependOnClassesThat(resideInAPackage("io.pgcopydb..")
                        .and(not(resideInAPackage("io.pgcopydb.compare..")))
                        .and(not(resideInAPackage("io.pgcopydb.connection..")))
                        .and(not(resideInAPackage("io.pgcopydb.filter..")))
                        .and(not(resideInAPackage("io.pgcopydb.model..")))
                        .and(not(WIRING)))
                .check(CLASSES);
    }

    @Test
    void everyPackageStatesItsContract() {
        Set<String> packages = new TreeSet<>();
        Set<String> documented = new TreeSet<>();
        CLASSES.forEach(c -> {
            packages.add(c.getPackageName());
            if (c.getSimpleName().equals("package-info")) {
                documented.add(c.getPackageName());
            }
        });
        assertThat(packages).contains("io.pgcopydb", "io.pgcopydb.model", "io.pgcopydb.internal.engine");
        assertThat(documented).as("packages with a package-info.java").containsAll(packages);
    }

    @Test
    void noMainSourceFileIsLongerThan400Lines() throws IOException {
        Path main = Path.of("src/main/java");
        assertThat(main).isDirectory();
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(main)) {
            tooLong = files.filter(p -> p.toString().endsWith(".java")).filter(p -> lines(p) > 400)
                    .map(p -> main.relativize(p) + " (" + lines(p) + " lines)").sorted().toList();
        }
        assertThat(tooLong).as("files over 400 lines: split them by concern").isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
