package io.pgcopydb;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.filter.Filters;
import io.pgcopydb.stage.ConstraintAttacher;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.SchemaDumper;
import io.pgcopydb.stage.TablePlanner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of a copy as {@link CopyBuilder} collects them, each holding its default until set; frozen by
 * {@link CopyOptions}. Mutable, not thread-safe.
 */
final class OptionValues {
    final ConnectionSpec source;
    final ConnectionSpec target;
    int jobs = 4;
    int indexJobs = 4;
    int restoreJobs = 4;
    Integer vacuumJobs;
    int largeObjectJobs = 4;
    Path workDirectory;
    Path clientTools;
    boolean consistent = true;
    String maintenanceWorkMem;
    boolean skipVacuum;
    boolean skipLargeObjects;
    boolean continueOnError;
    long splitTablesLargerThan;
    Integer splitMaxParts;
    boolean splitByCtid = true;
    Boolean useCopyBinary;
    boolean resume;
    boolean restart;
    String snapshot;
    int retries = 5;
    java.time.Duration retryTimeout = java.time.Duration.ofMinutes(2);
    java.time.Duration timeout;
    boolean roles;
    boolean noRolePasswords;
    boolean noOwner;
    boolean noAcl;
    boolean noComments;
    boolean skipExtensions;
    boolean skipExtensionComments;
    boolean skipCollations;
    boolean skipDbProperties;
    boolean dropIfExists;
    Filters filters = Filters.none();
    boolean foreignKeysNotValid;
    boolean verify;
    java.util.EnumSet<CopyStep> steps;
    Strategy strategy = Strategy.AUTO;
    boolean terminateSourceSessions;
    final List<CopyListener> listeners = new ArrayList<>();
    SchemaDumper schemaDumper = SchemaDumper.standard();
    TablePlanner tablePlanner = TablePlanner.standard();
    CopyStreamer copyStreamer = CopyStreamer.standard();
    IndexBuilder indexBuilder = IndexBuilder.standard();
    ConstraintAttacher constraintAttacher = ConstraintAttacher.standard();
    PostDataFilter postDataFilter = PostDataFilter.standard();

    OptionValues(ConnectionSpec source, ConnectionSpec target) {
        this.source = source;
        this.target = target;
    }
}
