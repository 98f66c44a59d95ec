package io.pgcopydb.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an option that is never read from its environment variable ({@link EnvironmentDefaults}), because a value
 * left in a shell's environment would do harm or surprise there: {@code --restart} would discard the journal of
 * every later run, {@code demo}'s and {@code bench}'s {@code --source}/{@code --target} would build sample databases
 * on the server a copy's {@code PGCOPYDB_SOURCE_PGURI} names, and the log-level flags have their own variable
 * ({@code PGCOPYDB_LOG_LEVEL}, read by {@link Logging} before any option is parsed).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface CommandLineOnly {
}
