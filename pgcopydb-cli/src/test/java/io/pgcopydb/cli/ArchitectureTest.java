package io.pgcopydb.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The command line is a client of the library like any other: its public packages only. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pgcopydb.cli");

    @Test
    void usesOnlyTheLibrarysPublicPackages() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.pgcopydb.internal..")
                .because("the CLI must work with what the library publishes, so that users can do what it does")
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
        assertThat(packages).contains("io.pgcopydb.cli");
        assertThat(documented).as("packages with a package-info.java").containsAll(packages);
    }
}
