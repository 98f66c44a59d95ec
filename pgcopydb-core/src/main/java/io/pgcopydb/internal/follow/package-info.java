/**
 * Step "follow" (change data capture, issue 18): the replication slot whose exported snapshot the copy uses, the
 * receiver that keeps pgoutput messages in a crash-safe change log in the work directory ({@link
 * io.pgcopydb.internal.follow.StoredChange}), and the applier that replays whole transactions on the target in
 * commit order, each with the replication origin's progress. Not API.
 */
package io.pgcopydb.internal.follow;
