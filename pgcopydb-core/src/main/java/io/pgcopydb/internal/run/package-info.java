/**
 * What every step of one run shares: the {@link io.pgcopydb.internal.run.RunContext} (the stages' view of the run:
 * configured connections, client tools, cancellation, warnings, the journal), retries after lost connections, the
 * report being collected, listener plumbing and the run's threads. <b>Not API.</b>
 */
package io.pgcopydb.internal.run;
