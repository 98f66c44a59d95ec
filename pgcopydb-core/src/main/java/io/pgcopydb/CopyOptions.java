package io.pgcopydb;

import static com.google.common.base.Preconditions.checkArgument;

import io.pgcopydb.stage.ConstraintAttacher;
import io.pgcopydb.stage.CopyStreamer;
import io.pgcopydb.stage.IndexBuilder;
import io.pgcopydb.stage.PostDataFilter;
import io.pgcopydb.stage.SchemaDumper;
import io.pgcopydb.stage.TablePlanner;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The frozen, validated options of one copy, built by {@link DatabaseCopy.Builder}. Immutable.
 *
 * @param source where to copy from
 * @param target where to copy into
 * @param jobs table COPY jobs (default 4)
 * @param indexJobs index build jobs (default 4)
 * @param restoreJobs {@code pg_restore --jobs} (default 4)
 * @param vacuumJobs {@code VACUUM ANALYZE} jobs (default: {@code jobs})
 * @param workDirectory where the dump and lists go; empty for a fresh temporary directory removed after success
 * @param consistent whether every source reader shares one exported snapshot (default true)
 * @param maintenanceWorkMem {@code maintenance_work_mem} for index builds on the target (default {@code 1GB})
 * @param skipVacuum skip {@code VACUUM ANALYZE}
 * @param skipLargeObjects skip copying large objects' data
 * @param continueOnError keep scheduling work after a failure (the run still fails at the end)
 * @param listener observer of the run
 * @param schemaDumper stage: dumps the schema
 * @param tablePlanner stage: orders the tables
 * @param copyStreamer stage: copies rows
 * @param indexBuilder stage: builds indexes
 * @param constraintAttacher stage: attaches constraints
 * @param postDataFilter stage: filters the post-data list
 */
public record CopyOptions(ConnectionSpec source, ConnectionSpec target, int jobs, int indexJobs, int restoreJobs,
        int vacuumJobs, Optional<Path> workDirectory, boolean consistent, String maintenanceWorkMem,
        boolean skipVacuum, boolean skipLargeObjects, boolean continueOnError, CopyListener listener,
        SchemaDumper schemaDumper, TablePlanner tablePlanner, CopyStreamer copyStreamer, IndexBuilder indexBuilder,
        ConstraintAttacher constraintAttacher, PostDataFilter postDataFilter) {

    /** Checks every value and the rules between them. */
    public CopyOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        checkArgument(jobs >= 1, "jobs must be >= 1, was %s", jobs);
        checkArgument(indexJobs >= 1, "indexJobs must be >= 1, was %s", indexJobs);
        checkArgument(restoreJobs >= 1, "restoreJobs must be >= 1, was %s", restoreJobs);
        checkArgument(vacuumJobs >= 1, "vacuumJobs must be >= 1, was %s", vacuumJobs);
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(maintenanceWorkMem, "maintenanceWorkMem");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(schemaDumper, "schemaDumper");
        Objects.requireNonNull(tablePlanner, "tablePlanner");
        Objects.requireNonNull(copyStreamer, "copyStreamer");
        Objects.requireNonNull(indexBuilder, "indexBuilder");
        Objects.requireNonNull(constraintAttacher, "constraintAttacher");
        Objects.requireNonNull(postDataFilter, "postDataFilter");
    }
}
