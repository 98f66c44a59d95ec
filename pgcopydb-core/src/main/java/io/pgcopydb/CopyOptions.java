package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.internal.Wiring;
import io.pgcopydb.model.CopyFormat;
import io.pgcopydb.stage.ConstraintAttacher;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.SchemaDumper;
import io.pgcopydb.stage.TablePlanner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The frozen, validated options of one copy, built by {@link CopyBuilder#options()}. Immutable and
 * thread-safe. Each accessor documents its default.
 */
public final class CopyOptions {
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final int jobs;
    private final int indexJobs;
    private final int restoreJobs;
    private final int vacuumJobs;
    private final int largeObjectJobs;
    private final Path workDirectory;
    private final Optional<Path> clientTools;
    private final boolean defaultWorkDirectory;
    private final boolean consistent;
    private final Optional<String> maintenanceWorkMemAsked;
    private final boolean skipVacuum;
    private final boolean skipLargeObjects;
    private final boolean continueOnError;
    private final long splitTablesLargerThan;
    private final int splitMaxParts;
    private final boolean splitByCtid;
    private final Optional<CopyFormat> copyFormatAsked;
    private final boolean resume;
    private final boolean restart;
    private final Optional<String> snapshot;
    private final int retries;
    private final Duration retryTimeout;
    private final Optional<Duration> timeout;
    private final boolean roles;
    private final boolean noRolePasswords;
    private final boolean noOwner;
    private final boolean noAcl;
    private final boolean noComments;
    private final boolean skipExtensions;
    private final boolean skipExtensionComments;
    private final boolean skipCollations;
    private final boolean skipDbProperties;
    private final boolean dropIfExists;
    private final Strategy strategy;
    private final boolean terminateSourceSessions;
    private final Filters filters;
    private final boolean foreignKeysNotValid;
    private final boolean verify;
    private final Optional<Set<CopyStep>> steps;
    private final CopyListener listener;
    private final SchemaDumper schemaDumper;
    private final TablePlanner tablePlanner;
    private final CopyStreamer copyStreamer;
    private final IndexBuilder indexBuilder;
    private final ConstraintAttacher constraintAttacher;
    private final PostDataFilter postDataFilter;

    CopyOptions(OptionValues b, CopyListener listener) {
        this.source = Objects.requireNonNull(b.source, "source");
        this.target = Objects.requireNonNull(b.target, "target");
        this.jobs = b.jobs;
        this.indexJobs = b.indexJobs;
        this.restoreJobs = b.restoreJobs;
        this.vacuumJobs = b.vacuumJobs == null ? b.jobs : b.vacuumJobs;
        this.largeObjectJobs = b.largeObjectJobs;
        this.defaultWorkDirectory = b.workDirectory == null;
        this.workDirectory = defaultWorkDirectory ? Wiring.defaultWorkDirectory(source, target) : b.workDirectory;
        this.clientTools = Optional.ofNullable(b.clientTools);
        this.consistent = b.consistent;
        this.maintenanceWorkMemAsked = Optional.ofNullable(b.maintenanceWorkMem);
        this.skipVacuum = b.skipVacuum;
        this.skipLargeObjects = b.skipLargeObjects;
        this.continueOnError = b.continueOnError;
        this.splitTablesLargerThan = b.splitTablesLargerThan;
        this.splitMaxParts = b.splitMaxParts == null ? b.jobs : b.splitMaxParts;
        this.splitByCtid = b.splitByCtid;
        this.copyFormatAsked = Optional.ofNullable(b.useCopyBinary)
                .map(binary -> binary ? CopyFormat.BINARY : CopyFormat.TEXT);
        this.resume = b.resume;
        this.restart = b.restart;
        this.snapshot = Optional.ofNullable(b.snapshot);
        this.retries = b.retries;
        this.retryTimeout = b.retryTimeout;
        this.timeout = Optional.ofNullable(b.timeout);
        this.roles = b.roles;
        this.noRolePasswords = b.noRolePasswords;
        this.noOwner = b.noOwner;
        this.noAcl = b.noAcl;
        this.noComments = b.noComments;
        this.skipExtensions = b.skipExtensions;
        this.skipExtensionComments = b.skipExtensionComments;
        this.skipCollations = b.skipCollations;
        this.skipDbProperties = b.skipDbProperties;
        this.dropIfExists = b.dropIfExists;
        this.strategy = b.strategy;
        this.terminateSourceSessions = b.terminateSourceSessions;
        this.filters = b.filters;
        this.foreignKeysNotValid = b.foreignKeysNotValid;
        this.verify = b.verify;
        this.steps = Optional.ofNullable(b.steps).map(java.util.Collections::unmodifiableSet);
        this.listener = listener;
        this.schemaDumper = b.schemaDumper;
        this.tablePlanner = b.tablePlanner;
        this.copyStreamer = b.copyStreamer;
        this.indexBuilder = b.indexBuilder;
        this.constraintAttacher = b.constraintAttacher;
        this.postDataFilter = b.postDataFilter;
        OptionRules.check(this);
    }

    /** How the copy is made ({@link CopyBuilder#strategy(Strategy)}); default {@link Strategy#AUTO}. */
    public Strategy strategy() {
        return strategy;
    }

    /** Whether the template path may end the source's other sessions ({@link CopyBuilder#terminateSourceSessions()}). */
    public boolean terminateSourceSessions() {
        return terminateSourceSessions;
    }

    /**
     * The first option asked that a file copy of the whole database cannot honour (a filter, {@code noOwner()} …),
     * as its API name; empty when {@link Strategy#TEMPLATE} can make this copy.
     */
    public String templateRefusal() {
        return TemplateSafety.refusal(this);
    }

    /** Where to copy from. */
    public ConnectionSpec source() {
        return source;
    }

    /** Where to copy into. */
    public ConnectionSpec target() {
        return target;
    }

    /** Table COPY jobs. Default 4. */
    public int jobs() {
        return jobs;
    }

    /** Index build jobs. Default 4. */
    public int indexJobs() {
        return indexJobs;
    }

    /** {@code pg_restore --jobs}. Default 4. */
    public int restoreJobs() {
        return restoreJobs;
    }

    /** {@code VACUUM ANALYZE} jobs. Default: {@link #jobs()}. */
    public int vacuumJobs() {
        return vacuumJobs;
    }

    /** Large-object copy jobs. Default 4. */
    public int largeObjectJobs() {
        return largeObjectJobs;
    }

    /**
     * The run's work directory: the one given to {@link CopyBuilder#workDirectory(Path)}, or the source/target
     * pair's default one under the system's temporary directory (see {@link #defaultWorkDirectory()}).
     */
    public Path workDirectory() {
        return workDirectory;
    }

    /**
     * Whether {@link #workDirectory()} is the pair's default directory, which the run removes after success (and
     * after a failure that wrote nothing), rather than one the caller gave, which is always kept.
     */
    public boolean defaultWorkDirectory() {
        return defaultWorkDirectory;
    }

    /** The client tools' bin directory given to {@link CopyBuilder#clientTools(Path)}, if one was. */
    public Optional<Path> clientTools() {
        return clientTools;
    }

    /** Whether every source reader shares one exported snapshot. Default true. */
    public boolean consistent() {
        return consistent;
    }

    /**
     * {@code maintenance_work_mem} of the target's sessions: as asked ({@link CopyBuilder#maintenanceWorkMem}), else
     * {@code 1GB} — and then a big table's serial B-tree build gets less, sized to the table.
     */
    public String maintenanceWorkMem() {
        return maintenanceWorkMemAsked.orElse("1GB");
    }

    /** The {@code maintenance_work_mem} asked for, or empty: the default (above). */
    public Optional<String> maintenanceWorkMemAsked() {
        return maintenanceWorkMemAsked;
    }

    /** Skip {@code VACUUM ANALYZE}. Default false. */
    public boolean skipVacuum() {
        return skipVacuum;
    }

    /** Skip large objects' data. Default false. */
    public boolean skipLargeObjects() {
        return skipLargeObjects;
    }

    /** Keep scheduling work after a failure (the run still fails). Default false. */
    public boolean continueOnError() {
        return continueOnError;
    }

    /** Copy roles first ({@code pg_dumpall --roles-only}; existing roles are skipped). Default false. */
    public boolean roles() {
        return roles;
    }

    /** With {@link #roles()}: {@code pg_dumpall --no-role-passwords}. Default false. */
    public boolean noRolePasswords() {
        return noRolePasswords;
    }

    /** {@code pg_restore --no-owner}: objects belong to the target user. Default false. */
    public boolean noOwner() {
        return noOwner;
    }

    /** {@code pg_restore --no-acl}: no GRANT/REVOKE. Default false. */
    public boolean noAcl() {
        return noAcl;
    }

    /** {@code pg_restore --no-comments}. Default false. */
    public boolean noComments() {
        return noComments;
    }

    /** Do not create extensions nor copy their configuration tables. Default false. */
    public boolean skipExtensions() {
        return skipExtensions;
    }

    /** Do not restore {@code COMMENT ON EXTENSION} (needs the extension's owner). Default false. */
    public boolean skipExtensionComments() {
        return skipExtensionComments;
    }

    /** Do not create collations; they must exist on the target. Default false. */
    public boolean skipCollations() {
        return skipCollations;
    }

    /** Do not copy {@code ALTER DATABASE … SET} and {@code ALTER ROLE … IN DATABASE … SET}. Default false. */
    public boolean skipDbProperties() {
        return skipDbProperties;
    }

    /** Drop the target's copies of the source objects first; nothing else in the target is touched. Default false. */
    public boolean dropIfExists() {
        return dropIfExists;
    }

    /** What to copy; {@link Filters#none()} (the default) copies everything. */
    public Filters filters() {
        return filters;
    }

    /**
     * Foreign keys referencing rows the filter does not copy are created {@code NOT VALID} rather than the copy
     * being refused. Default false.
     */
    public boolean foreignKeysNotValid() {
        return foreignKeysNotValid;
    }

    /** Whether the target is compared with the source after the copy. Default false. */
    public boolean verify() {
        return verify;
    }

    /** The run's observer. */
    public CopyListener listener() {
        return listener;
    }

    /** Stage: dumps the schema. */
    public SchemaDumper schemaDumper() {
        return schemaDumper;
    }

    /** Tables larger than this many bytes are split into parts; 0 never splits. */
    public long splitTablesLargerThan() {
        return splitTablesLargerThan;
    }

    /** The most parts one table is split into. */
    public int splitMaxParts() {
        return splitMaxParts;
    }

    /** Whether a table without an integer key is split by ranges of its pages; false copies it whole. */
    public boolean splitByCtid() {
        return splitByCtid;
    }

    /**
     * The COPY format asked for: binary where both sides allow it ({@link CopyBuilder#useCopyBinary()}), text
     * ({@link CopyBuilder#useCopyText()}), or empty: the default, binary where allowed from 64 MB of tables.
     */
    public Optional<CopyFormat> copyFormatAsked() {
        return copyFormatAsked;
    }

    /** Whether the run continues the interrupted copy of its work directory. */
    public boolean resume() {
        return resume;
    }

    /** Whether the run discards the work directory's earlier copy. */
    public boolean restart() {
        return restart;
    }

    /** The externally held snapshot the run reads, if one was given. */
    public Optional<String> snapshot() {
        return snapshot;
    }

    /** The steps to run alone ({@link CopyBuilder#steps}); empty (the default) when the copy runs every step. */
    public Optional<Set<CopyStep>> steps() {
        return steps;
    }

    /** Retries of work lost with its connection; 0 when disabled. */
    public int retries() {
        return retries;
    }

    /** The longest time one object may spend retrying. */
    public Duration retryTimeout() {
        return retryTimeout;
    }

    /** The run's time limit, if any. */
    public Optional<Duration> timeout() {
        return timeout;
    }

    /** Stage: orders the tables. */
    public TablePlanner tablePlanner() {
        return tablePlanner;
    }

    /** Stage: copies rows. */
    public CopyStreamer copyStreamer() {
        return copyStreamer;
    }

    /** Stage: builds indexes. */
    public IndexBuilder indexBuilder() {
        return indexBuilder;
    }

    /** Stage: attaches constraints. */
    public ConstraintAttacher constraintAttacher() {
        return constraintAttacher;
    }

    /** Stage: filters the post-data list. */
    public PostDataFilter postDataFilter() {
        return postDataFilter;
    }

    /** The options without secrets, for logs. */
    @Override
    public String toString() {
        return "CopyOptions[source=" + source + ", target=" + target + ", jobs=" + jobs + ", indexJobs=" + indexJobs
                + ", restoreJobs=" + restoreJobs + ", largeObjectJobs=" + largeObjectJobs + "]";
    }
}
