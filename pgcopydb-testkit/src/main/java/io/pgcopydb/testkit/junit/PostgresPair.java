package io.pgcopydb.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks {@link PostgresPairExtension} for a {@link DatabasePair} whose source and target servers run the given
 * PostgreSQL major versions, e.g. {@code @PostgresPair(source = 12, target = 17)} on a test method or class (the
 * method's wins). It registers the extension itself.
 *
 * <p>Each version's server is started at most once per test run, from the installed binaries when they are of
 * that version, else from zonky's binary bundle of it (see {@code PostgresBinaries.forMajor}), and shared by every
 * test asking for it; a pair of one version gets two servers of it. These are always local servers: the
 * environment's external pair or Testcontainers are not used, as their version is not the test's to choose.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(PostgresPairExtension.class)
public @interface PostgresPair {
    /** The source server's major version, e.g. 12. */
    int source();

    /** The target server's major version, e.g. 17. */
    int target();
}
