package io.pgcopydb;

import static com.google.common.base.Preconditions.checkArgument;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.Wiring;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options of a follow — change data capture from the source to the target until a cut-over point — from
 * {@link DatabaseFollow#from(String)}{@code .to(…)} (changes only, onto a target copied earlier in the slot's
 * snapshot) or {@link CopyBuilder#follow()} (pgcopydb's {@code clone --follow}: the copy reads the slot's snapshot,
 * the changes made meanwhile and after are applied once it is done). Then {@link #run()}, or one of the
 * {@code stream} commands: {@link #setup()}, {@link #cleanup()}, {@link #setEndpos(String)}, {@link #endpos()}.
 *
 * <p>A follow creates a publication of exactly the tables the filter selects and a logical replication slot
 * (pgoutput) on the source, and a replication origin on the target, all named {@code pgcopydb} unless told
 * otherwise. Received changes are kept in a crash-safe change log in the work directory (its {@code cdc}
 * sub-directory, or {@code $TMPDIR/pgcopydb-follow-<pair>}) and the slot releases WAL only once they are on disk;
 * each source transaction is applied in one target transaction that also advances the origin, so a follow
 * interrupted at any point continues with {@link #resume()} without losing or repeating a transaction. A finished
 * follow sets the sequences to the source's values and drops the slot, publication and origin.
 *
 * <p>Not thread-safe; each method validates its argument at once ({@link IllegalArgumentException}).
 */
public final class FollowBuilder {
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final Optional<CopyBuilder> copy;
    private Path workDirectory;
    private String slot = "pgcopydb";
    private String publication;
    private String origin = "pgcopydb";
    private Filters filters = Filters.none();
    private OptionalLong endpos = OptionalLong.empty();
    private boolean resume;
    private long segmentBytes = 64L << 20;
    private long maxLogBytes = 8L << 30;
    private FollowListener listener = FollowListener.NONE;

    FollowBuilder(ConnectionSpec source, ConnectionSpec target, Optional<CopyBuilder> copy) {
        this.source = source;
        this.target = target;
        this.copy = copy;
    }

    /**
     * The work directory; the follow keeps its state in its {@code cdc} sub-directory. Default: the copy's
     * {@link CopyBuilder#workDirectory(Path)} when it was given one, else {@code $TMPDIR/pgcopydb-follow-<pair>}. A
     * relative path is taken from the current directory now.
     */
    public FollowBuilder workDirectory(Path workDirectory) {
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory").toAbsolutePath();
        return this;
    }

    /** The replication slot's name (pgcopydb's {@code --slot-name}). Default {@code pgcopydb}. */
    public FollowBuilder slotName(String slotName) {
        checkArgument(slotName != null && slotName.matches("[a-z0-9_]{1,63}"),
                "slotName must be 1 to 63 of a-z, 0-9 and _, was %s", slotName);
        this.slot = slotName;
        return this;
    }

    /** The publication's name (pgcopydb's {@code --publication}). Default: the slot's name. */
    public FollowBuilder publication(String publication) {
        checkArgument(publication != null && !publication.isEmpty() && publication.length() <= 63,
                "publication must be 1 to 63 characters, was %s", publication);
        this.publication = publication;
        return this;
    }

    /** The replication origin's name on the target (pgcopydb's {@code --origin}). Default {@code pgcopydb}. */
    public FollowBuilder origin(String origin) {
        checkArgument(origin != null && !origin.isEmpty() && origin.length() <= 512,
                "origin must be 1 to 512 characters, was %s", origin);
        this.origin = origin;
        return this;
    }

    /**
     * What is published when there is no copy ({@link DatabaseFollow}); a follow of a copy publishes what the
     * copy's filter selects. Default {@link Filters#none()}.
     */
    public FollowBuilder filter(Filters filters) {
        this.filters = Objects.requireNonNull(filters, "filters");
        return this;
    }

    /**
     * Stops once every transaction committed before {@code lsn} ({@code X/Y}, as {@code pg_current_wal_lsn()}
     * writes it) is applied, never inside a transaction. Default: none — the follow runs until the sentinel's
     * endpos is set ({@link #setEndpos(String)}, from any process).
     */
    public FollowBuilder endpos(String lsn) {
        this.endpos = OptionalLong.of(parseLsn(lsn));
        return this;
    }

    /**
     * Continues an interrupted follow: its slot, publication and origin exist; receiving continues from the slot's
     * confirmed position, applying after the origin's progress. A follow whose copy did not finish cannot be
     * resumed: the snapshot it read is gone.
     */
    public FollowBuilder resume() {
        this.resume = true;
        return this;
    }

    /**
     * How much disk the change log may take before receiving pauses (between transactions) until applied changes
     * are pruned; meanwhile the WAL waits on the source. Default 8 GiB.
     */
    public FollowBuilder maxChangeLogBytes(long bytes) {
        checkArgument(bytes >= 1 << 20, "maxChangeLogBytes must be at least 1 MiB, was %s", bytes);
        this.maxLogBytes = bytes;
        return this;
    }

    /** The size at which the change log starts a new segment file. Default 64 MiB. */
    public FollowBuilder changeLogSegmentBytes(long bytes) {
        checkArgument(bytes >= 1024, "changeLogSegmentBytes must be at least 1024, was %s", bytes);
        this.segmentBytes = bytes;
        return this;
    }

    /** Observes the follow's progress: lag in bytes and seconds, apply rate (one listener; the last one set). */
    public FollowBuilder listener(FollowListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The follow's directory: where its change log, sentinel and lock are. */
    public Path directory() {
        Optional<Path> dir = Optional.ofNullable(workDirectory)
                .or(() -> copy.flatMap(c -> c.values.workDirectory == null ? Optional.empty()
                        : Optional.of(c.values.workDirectory)));
        return Wiring.followDirectory(dir, source, target);
    }

    /**
     * Runs the follow: preflight, setup, the copy (if any) in the slot's snapshot while changes are received, then
     * the changes applied until endpos, the sequences set, the slot, publication and origin dropped.
     *
     * @throws PgCopyException when preflight refuses (a table without a primary key or replica identity,
     *     {@code wal_level} not {@code logical}, …), the copy fails, or receiving or applying fails
     */
    public FollowReport run() {
        return Wiring.follow(options(), copy);
    }

    /** {@code stream setup}: the publication, the slot and the origin, for a later {@link #resume()}d follow. */
    public void setup() {
        Wiring.followSetup(options());
    }

    /**
     * {@code stream cleanup}: drops the slot, the publication and the origin and deletes the change log.
     *
     * @return what was dropped, e.g. {@code replication slot pgcopydb}
     */
    public List<String> cleanup() {
        return Wiring.followCleanup(options());
    }

    /** {@code stream sentinel set endpos LSN}: a running follow of this directory stops there. */
    public void setEndpos(String lsn) {
        Wiring.followSetEndpos(directory(), parseLsn(lsn));
    }

    /**
     * {@code stream sentinel set endpos --current}: the source's current WAL position becomes the endpos.
     *
     * @return that position ({@code X/Y})
     */
    public String setEndposToCurrent() {
        String current = Wiring.currentLsn(source);
        setEndpos(current);
        return current;
    }

    /** {@code stream sentinel get}: the endpos set in this follow's directory, if any ({@code X/Y}). */
    public Optional<String> endpos() {
        return Wiring.followEndpos(directory());
    }

    /**
     * Freezes the current values.
     *
     * @throws IllegalArgumentException when the copy of {@link CopyBuilder#follow()} was told
     *     {@code notConsistent()} or {@code snapshot(id)}: a follow's copy reads the slot's snapshot
     */
    public FollowOptions options() {
        copy.ifPresent(c -> checkArgument(c.values.consistent && c.values.snapshot == null, "follow() copies in the "
                + "replication slot's snapshot: it cannot be combined with notConsistent() or snapshot(id)"));
        Filters f = copy.map(c -> c.values.filters).orElse(filters);
        return new FollowOptions(source, target, directory(), slot, publication == null ? slot : publication, origin,
                f, endpos, resume, segmentBytes, maxLogBytes, listener);
    }

    private static long parseLsn(String lsn) {
        String text = Objects.requireNonNull(lsn, "lsn").strip();
        checkArgument(text.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}"),
                "endpos must be a WAL position like 0/16B3748, was %s", lsn);
        int slash = text.indexOf('/');
        return Long.parseLong(text.substring(0, slash), 16) << 32 | Long.parseLong(text.substring(slash + 1), 16);
    }
}
