package io.pgcopydb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pgcopydb.internal.Wiring;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pgcopydb");

    @Test
    void publicPackagesReachTheEngineOnlyThroughTheWiringPoint() {
        noClasses().that().resideOutsideOfPackage("io.pgcopydb.internal..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are internal other than " + Wiring.class.getSimpleName(),
                        c -> c.getPackageName().startsWith("io.pgcopydb.internal")
                                && !c.getName().equals(Wiring.class.getName())))
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
        assertThat(packages).isNotEmpty();
        assertThat(documented).as("packages with a package-info.java").containsAll(packages);
    }
}
