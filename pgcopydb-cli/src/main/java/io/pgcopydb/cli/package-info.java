/**
 * The {@code pgcopydb.jar} command line, built with picocli: {@code clone} (aliases {@code fork} and
 * {@code copy db}), {@code list}, {@code compare}, {@code demo} ({@link io.pgcopydb.cli.DemoCommand}),
 * {@code bench} ({@link io.pgcopydb.cli.BenchCommand}), {@code help}, {@code --version}. Entry point: {@link io.pgcopydb.cli.PgCopyDbCommand#main}. The module's main artifact,
 * {@code io.pgcopydb:pgcopydb-cli}, is this executable jar with its dependencies inside.
 *
 * <p>Contract:
 * <ul>
 *   <li>pgcopydb's command and option names, with values from the command line winning over the
 *       {@code PGCOPYDB_*} environment variables, which win over the defaults; invalid values are rejected,
 *       never adjusted.</li>
 *   <li>Standard output holds only the result (the summary tables); the log (slf4j-simple, configured before any
 *       logger exists) and errors go to standard error.</li>
 *   <li>A failure prints exactly one line, {@code pgcopydb: <message>}, with a stack trace only under
 *       {@code --debug}, and exits with a code of {@link io.pgcopydb.cli.ExitCodes}: 2 bad arguments,
 *       3 connection failure (every code of the CONNECTION category), 4 copy failure, 5 cancelled or timed out.</li>
 *   <li>No password is ever printed: connection strings are shown through {@code ConnectionSpec.toString()},
 *       and every error line is masked once more.</li>
 *   <li>Ctrl-C cancels a running copy ({@link io.pgcopydb.cli.CancelOnShutdown}).</li>
 *   <li>Only the library's public packages are used, never {@code io.pgcopydb.internal}; the demo and the
 *       benchmark also use the testkit to start their throwaway servers.</li>
 *   <li>Only {@code main} exits the JVM: {@link io.pgcopydb.cli.PgCopyDbCommand#newCommandLine} runs
 *       the same commands in-process.</li>
 * </ul>
 */
package io.pgcopydb.cli;
