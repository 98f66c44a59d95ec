package io.pgcopydb.cli;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one invocation of the command line shares between its commands: the environment variables it reads
 * (injected, so tests need not touch the real environment: every option's variable is read from here, see
 * {@link EnvironmentDefaults}), whether {@code --debug} was given and whether standard output carries JSON.
 *
 * <p>Thread-safe: the flags are set while parsing or running and read when a failure is reported.
 */
public final class CliContext {
    private final Map<String, String> environment;
    private volatile boolean debug;
    private volatile boolean jsonOutput;

    /**
     * A context reading {@code environment}.
     *
     * @param environment variables such as {@code PGCOPYDB_SOURCE_PGURI}; copied
     */
    public CliContext(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /**
     * A context reading this process's environment.
     *
     * @return a context over {@link System#getenv()}
     */
    public static CliContext fromSystem() {
        return new CliContext(System.getenv());
    }

    /**
     * The environment variables.
     *
     * @return the variables, immutable
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The value of an environment variable.
     *
     * @param name the variable, e.g. {@code PGCOPYDB_SOURCE_PGURI}
     * @return its value, when it is set and not blank
     */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
    }

    /**
     * Whether failures are reported with their stack trace.
     *
     * @return true under {@code --debug}
     */
    public boolean debug() {
        return debug;
    }

    /**
     * Turns debugging on or off.
     *
     * @param on whether to report stack traces
     */
    public void debug(boolean on) {
        this.debug = on;
    }

    /**
     * Whether the command prints JSON on standard output ({@code --json}), so a failure adds no text there.
     *
     * @return true once a command said so
     */
    public boolean jsonOutput() {
        return jsonOutput;
    }

    /**
     * Says whether the command prints JSON on standard output.
     *
     * @param on true under {@code --json}
     */
    public void jsonOutput(boolean on) {
        this.jsonOutput = on;
    }
}
