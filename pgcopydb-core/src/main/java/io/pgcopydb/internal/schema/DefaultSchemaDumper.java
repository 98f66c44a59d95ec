package io.pgcopydb.internal.schema;

import io.pgcopydb.internal.postgres.ToolRunner;
import io.pgcopydb.model.Side;
import io.pgcopydb.stage.SchemaDumper;
import io.pgcopydb.stage.StageContext;
import io.pgcopydb.stage.ToolResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code pg_dump -Fc --section=pre-data --section=post-data} in the run's snapshot. A single archive keeps
 * pg_restore's dependency information whole for both restores.
 */
public final class DefaultSchemaDumper implements SchemaDumper {
    /** The archive's file name in the work directory. */
    public static final String ARCHIVE = "schema.dump";

    @Override
    public Path dump(StageContext context) throws Exception {
        Path archive = context.workDirectory().resolve(ARCHIVE);
        List<String> args = new ArrayList<>(List.of("--format=custom", "--section=pre-data", "--section=post-data",
                "--no-password", "--file=" + archive));
        context.snapshotId().ifPresent(id -> args.add("--snapshot=" + id));
        args.add("--dbname=" + context.databaseArgument(Side.SOURCE));
        ToolResult result = context.runClientTool("pg_dump", args, Side.SOURCE, "pg_dump.log");
        if (!result.succeeded()) {
            throw new IllegalStateException("pg_dump failed (exit " + result.exitCode() + "): "
                    + ToolRunner.tail(result.output(), 5));
        }
        return archive;
    }
}
