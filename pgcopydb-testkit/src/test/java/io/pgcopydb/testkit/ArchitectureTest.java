package io.pgcopydb.testkit;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The testkit's package structure: one sub-package per concern, no cycles, no dependency on core. */
class ArchitectureTest {
    private static final String ROOT = "io.pgcopydb.testkit";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void subPackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }

    /** Classes in the root package would escape the slices of the cycle check. */
    @Test
    void rootPackageHoldsOnlyItsPackageInfo() {
        Set<String> inRoot = new TreeSet<>();
        CLASSES.stream().filter(c -> c.getPackageName().equals(ROOT)).map(JavaClass::getSimpleName)
                .forEach(inRoot::add);
        assertThat(inRoot).containsExactly("package-info");
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
        assertThat(packages).hasSizeGreaterThan(1);
        assertThat(documented).as("packages with a package-info.java").containsAll(packages);
    }

    @Test
    void nothingDependsOnPgcopydbOutsideTheTestkit() {
        noClasses().that().resideInAPackage(ROOT + "..")
                .should().dependOnClassesThat(
                        resideInAPackage("io.pgcopydb..").and(resideOutsideOfPackage(ROOT + "..")))
                .check(CLASSES);
    }
}
