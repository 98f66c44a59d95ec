package io.pgcopydb.cli;

import io.pgcopydb.CopyStep;
import io.pgcopydb.connection.ConnectionSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * pgcopydb's step commands, each a {@link CloneCommand} making only some {@link CopyStep}s on a work directory:
 * {@code copy roles|extensions|schema|pre-data|post-data|table-data|data|sequences|indexes|constraints|blobs},
 * {@code dump schema|roles} (the source's schema, or its roles, into the work directory, nothing written to the
 * target) and
 * {@code restore schema|pre-data|post-data|roles|parse-list} (from the schema dump a {@code dump schema} left there;
 * {@code parse-list} prints the restore lists with what they skip commented out).
 */
final class StepCommands {
    private StepCommands() {
    }

    /** Adds the {@code copy <step>} subcommands to {@code copy}. */
    static void addCopySteps(CommandLine copy, CliContext context) {
        add(copy, context, "roles", EnumSet.of(CopyStep.ROLES), false,
                "Copy the roles the source database uses (pg_dumpall --roles-only); existing roles are left alone.");
        add(copy, context, "extensions", EnumSet.of(CopyStep.EXTENSIONS), false,
                "Create the source's extensions (and their schemas) on the target, then copy the data of their "
                        + "configuration tables.");
        add(copy, context, "schema", CopyStep.schema(), false,
                "Restore the schema: pre-data, then post-data (no table data).");
        add(copy, context, "pre-data", EnumSet.of(CopyStep.PRE_DATA), false,
                "Restore the pre-data section (types, tables, functions, views … without indexes and constraints).");
        add(copy, context, "post-data", EnumSet.of(CopyStep.POST_DATA), false,
                "Restore the post-data section, without the indexes and constraints that 'copy indexes' and "
                        + "'copy constraints' built on this work directory; then the database's properties.");
        add(copy, context, "table-data", EnumSet.of(CopyStep.TABLE_DATA), false,
                "Copy the tables' rows (COPY only: no index, constraint or VACUUM).");
        add(copy, context, "data", EnumSet.of(CopyStep.TABLE_DATA, CopyStep.INDEXES, CopyStep.CONSTRAINTS,
                CopyStep.VACUUM, CopyStep.SEQUENCES, CopyStep.LARGE_OBJECTS), false,
                "Copy everything between pre-data and post-data: rows, indexes, constraints, VACUUM, sequences, "
                        + "large objects.");
        add(copy, context, "sequences", EnumSet.of(CopyStep.SEQUENCES), false,
                "Set every sequence of the target to the source's value.");
        add(copy, context, "indexes", EnumSet.of(CopyStep.INDEXES), false,
                "Build the indexes of the tables whose rows 'copy table-data' copied on this work directory.");
        add(copy, context, "constraints", EnumSet.of(CopyStep.CONSTRAINTS), false,
                "Add the primary key, unique and exclusion constraints on the indexes 'copy indexes' built.");
        add(copy, context, "blobs", EnumSet.of(CopyStep.LARGE_OBJECTS), false, "Copy the large objects' data.");
    }

    /** The {@code dump} group: {@code dump schema}, {@code dump roles}. */
    static CommandLine dump(CliContext context) {
        CommandLine dump = group(context, "dump", "Dump the source's schema or roles into the work directory.");
        add(dump, context, "schema", EnumSet.noneOf(CopyStep.class), false,
                "Dump the source's schema (pg_dump, pre- and post-data) to <dir>/schema.dump, in a snapshot; the "
                        + "target only names the work directory's pair and is not written to.");
        CommandLine roles = new CommandLine(CloneCommand.dumpRoles(context));
        roles.getCommandSpec().name("roles");
        roles.getCommandSpec().usageMessage().description("Dump the roles the source database uses (pg_dumpall "
                + "--roles-only) to <dir>/roles.sql, readable by you only, with the schema dump beside it; "
                + "'restore roles' and 'copy roles' with the same --dir replay it. Nothing is written to the target.");
        dump.addSubcommand("roles", roles);
        return dump;
    }

    /** The {@code restore} group: sections of the work directory's schema dump, and the roles. */
    static CommandLine restore(CliContext context) {
        CommandLine restore = group(context, "restore", "Restore from the work directory's schema dump.");
        add(restore, context, "schema", CopyStep.schema(), true,
                "Restore pre-data, then post-data, from <dir>/schema.dump.");
        add(restore, context, "pre-data", EnumSet.of(CopyStep.PRE_DATA), true,
                "Restore the pre-data section of <dir>/schema.dump.");
        add(restore, context, "post-data", EnumSet.of(CopyStep.POST_DATA), true,
                "Restore the post-data section of <dir>/schema.dump, without what earlier steps built.");
        add(restore, context, "roles", EnumSet.of(CopyStep.ROLES), false,
                "Replay <dir>/roles.sql that 'dump roles' left, else copy the roles the source database uses; "
                        + "existing roles are left alone.");
        add(restore, context, "parse-list", EnumSet.noneOf(CopyStep.class), true,
                "Print the pg_restore lists of <dir>/schema.dump that 'restore pre-data' and 'restore post-data' "
                        + "would use now, what they skip commented out (';'): what the target has, what the "
                        + "filters leave out, the indexes and constraints earlier steps built. Writes nothing.");
        return restore;
    }

    /**
     * What a run of no step prints: where the dump is ({@code dump schema}), or the restore lists it wrote
     * ({@code restore parse-list}).
     *
     * @param existed whether the dump was there before the run (reused, not dumped again)
     * @param lists whether to print the lists
     */
    static void printDumpResult(PrintWriter out, ConnectionSpec source, Path archive, boolean existed,
            boolean lists) {
        if (!lists) {
            out.println(existed ? "The schema dump " + archive + " was there already, kept (remove it to dump "
                    + "again)" : "Dumped the schema of " + source + " to " + archive);
        } else {
            for (String name : List.of("pre-data.list", "post-data.list")) {
                Path list = archive.resolveSibling(name);
                out.println("-- " + list);
                try {
                    Files.readAllLines(list, StandardCharsets.UTF_8).forEach(out::println);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + list + ": " + e.getMessage(), e);
                }
            }
        }
        out.flush();
    }

    private static CommandLine group(CliContext context, String name, String description) {
        CommandLine group = new CommandLine(new CommandGroup(context));
        group.getCommandSpec().name(name);
        group.getCommandSpec().usageMessage().description(description);
        return group;
    }

    private static void add(CommandLine parent, CliContext context, String name, Set<CopyStep> steps,
            boolean fromDump, String description) {
        CommandLine command = new CommandLine(CloneCommand.ofSteps(context, steps, fromDump));
        command.getCommandSpec().name(name);
        command.getCommandSpec().usageMessage().description(description + " Runs alone on the work directory "
                + "(--dir) that earlier steps used: they share its schema dump and journal.");
        parent.addSubcommand(name, command);
    }
}
