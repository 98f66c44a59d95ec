/**
 * The {@code pgcopydb.jar} command line, built with picocli: {@code clone} (aliases {@code fork} and
 * {@code copy db}), {@code demo}, {@code help}, {@code --version}. Entry point:
 * {@link io.pgcopydb.examples.cli.PgCopyDbCommand#main}.
 *
 * <p>Contract:
 * <ul>
 *   <li>pgcopydb's command and option names, with values from the command line winning over the
 *       {@code PGCOPYDB_*} environment variables, which win over the defaults; invalid values are rejected,
 *       never adjusted.</li>
 *   <li>Standard output holds only the result (the summary tables); the log (slf4j-simple, configured before any
 *       logger exists) and errors go to standard error.</li>
 *   <li>A failure prints exactly one line, {@code pgcopydb: <message>}, with a stack trace only under
 *       {@code --debug}, and exits with a code of {@link io.pgcopydb.examples.cli.ExitCodes}: 2 bad arguments,
 *       3 connection failure, 4 copy failure, 5 cancelled.</li>
 *   <li>No password is ever printed: connection strings are shown through {@code ConnectionSpec.toString()},
 *       and every error line is masked once more.</li>
 *   <li>Ctrl-C cancels a running copy ({@link io.pgcopydb.examples.cli.CancelOnShutdown}).</li>
 *   <li>Only {@code main} exits the JVM: {@link io.pgcopydb.examples.cli.PgCopyDbCommand#newCommandLine} runs
 *       the same commands in-process.</li>
 * </ul>
 */
package io.pgcopydb.examples.cli;
