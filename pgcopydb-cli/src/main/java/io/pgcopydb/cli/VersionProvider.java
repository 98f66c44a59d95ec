package io.pgcopydb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: this tool's version (from the build), the JVM's and the PostgreSQL JDBC driver's. */
public final class VersionProvider implements IVersionProvider {

    /** Creates the provider; picocli calls this reflectively. */
    public VersionProvider() {
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "pgcopydb " + toolVersion() + " (a Java implementation of pgcopydb)",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
            "PostgreSQL JDBC driver " + org.postgresql.util.DriverInfo.DRIVER_VERSION,
        };
    }

    /** The project version the build wrote into {@code version.properties}. */
    static String toolVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
