package io.pgcopydb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.CopyBuilder;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** The library's remedies as this tool's users read them, and the exit code of every library code. */
class FlagWordingTest {

    @Test
    void aStepToRunFirstBecomesItsCommand() {
        assertThat(FlagWording.rewrite("the target has no table public.rental: run the pre-data step first "
                + "(steps(PRE_DATA)) with the same work directory; or steps(LARGE_OBJECTS)"))
                .isEqualTo("the target has no table public.rental: run the pre-data step first "
                        + "('pgcopydb copy pre-data') with the same work directory; or 'pgcopydb copy blobs'");
        assertThat(FlagWording.rewrite("steps(…) asked")).as("not a step's name").isEqualTo("steps(…) asked");
    }

    @Test
    void theLibrarysMethodsBecomeFlags() {
        assertThat(FlagWording.rewrite("target database shop is not empty (3 relations, e.g. public.film): copy into "
                + "an empty database, or use dropIfExists() to replace an older copy"))
                .isEqualTo("target database shop is not empty (3 relations, e.g. public.film): copy into an empty "
                        + "database, or use --drop-if-exists to replace an older copy");
        assertThat(FlagWording.rewrite("resume() needs notConsistent() or snapshot(id): the snapshot died"))
                .isEqualTo("--resume needs --not-consistent or --snapshot ID: the snapshot died");
        assertThat(FlagWording.rewrite("give another directory with workDirectory(path)"))
                .isEqualTo("give another directory with --dir DIR");
        assertThat(FlagWording.rewrite("continue with resume() and notConsistent(), passing workDirectory(/tmp/w 1) "
                + "again")).isEqualTo("continue with --resume and --not-consistent, passing --dir /tmp/w 1 again");
        assertThat(FlagWording.rewrite("use noOwner(); use noAcl(); leave roles() off; skipExtensionComments(); "
                + "noRolePasswords(); skipLargeObjects(); skipDbProperties(); skipCollations(); skipExtensions()"))
                .isEqualTo("use --no-owner; use --no-acl; leave --roles off; --skip-ext-comments; "
                        + "--no-role-passwords; --skip-large-objects; --skip-db-properties; --skip-collations; "
                        + "--skip-extensions");
        assertThat(FlagWording.rewrite("pg_dump 15 cannot dump a PostgreSQL 17 server: install PostgreSQL 17's "
                + "client tools and set PG_CONFIG or clientTools(dir)")).isEqualTo("pg_dump 15 cannot dump a "
                + "PostgreSQL 17 server: install PostgreSQL 17's client tools and set PG_CONFIG or --pg-bin DIR");
        assertThat(FlagWording.rewrite("given by clientTools(/opt/pg 17/bin)"))
                .isEqualTo("given by --pg-bin /opt/pg 17/bin");
        assertThat(FlagWording.rewrite("retries(n) and retryTimeout(d) set the bound; a longer timeout(d)"))
                .isEqualTo("--retries N and retryTimeout(d) set the bound; a longer --timeout DURATION");
    }

    @Test
    void whatIsNotABuilderMethodStaysAsItIs() {
        String line = "in this exported snapshot (pg_export_snapshot()) GRANT SELECT ON t TO app; jobs(x); "
                + "foreignKeysNotValid(); obj.noOwner(); roles (plural)";
        assertThat(FlagWording.rewrite(line)).isEqualTo(line);
    }

    @Test
    void everyOptionOfCloneThatHasABuilderMethodIsInTheTable() {
        CommandLine clone = PgCopyDbCommand.newCommandLine(new CliContext(Map.of())).getSubcommands().get("clone");
        Set<String> options = new TreeSet<>();
        for (OptionSpec o : clone.getCommandSpec().options()) {
            if (!o.hidden() && !o.usageHelp() && !o.versionHelp()) {
                options.add(o.longestName());
            }
        }
        // Options of the command alone, with no builder method behind them.
        options.removeAll(Set.of("--source", "--target", "--debug", "--verbose", "--quiet", "--json", "--fail-fast",
                "--skip-ext-comment", "--progress", "--progress-interval"));
        // The follow's options: methods of FollowBuilder, whose remedies are not CopyBuilder's.
        options.removeAll(Set.of("--follow", "--slot-name", "--origin", "--publication", "--endpos"));
        assertThat(new TreeSet<>(FlagWording.flags().values())).as("flags with a builder method")
                .isEqualTo(options);
        Set<String> builderMethods = new TreeSet<>();
        for (Method m : CopyBuilder.class.getMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == CopyBuilder.class) {
                builderMethods.add(m.getName());
            }
        }
        assertThat(builderMethods).as("every rewritten name is a method of CopyBuilder")
                .containsAll(FlagWording.flags().keySet());
    }

    @Test
    void exitCodesFollowTheCodesCategory() {
        for (ErrorCode code : ErrorCode.values()) {
            int expected = code == ErrorCode.VERIFY_FAILED ? ExitCodes.DIFFERENT : switch (code.category()) {
                case ARGUMENT -> ExitCodes.USAGE;
                case CONNECTION -> ExitCodes.CONNECTION_FAILED;
                case CANCELLED -> ExitCodes.CANCELLED;
                case PREFLIGHT, RUN, INTERNAL -> ExitCodes.FAILED;
            };
            assertThat(ExitCodes.of(code)).as(code.name()).isEqualTo(expected);
            assertThat(ExitCodes.of(new PgCopyException(code, "m"))).as(code.name()).isEqualTo(expected);
        }
        assertThat(Arrays.stream(ErrorCode.values()).filter(c -> ExitCodes.of(c) == ExitCodes.CONNECTION_FAILED))
                .containsExactlyInAnyOrder(ErrorCode.SERVER_UNREACHABLE, ErrorCode.UNKNOWN_HOST,
                        ErrorCode.AUTHENTICATION_FAILED, ErrorCode.CONNECTION_REJECTED, ErrorCode.PASSWORD_MISSING,
                        ErrorCode.DATABASE_NOT_FOUND);
        assertThat(ExitCodes.of(ErrorCode.TIMED_OUT)).isEqualTo(ExitCodes.CANCELLED);
        assertThat(ExitCodes.of(ErrorCode.CONNECTION_LOST)).isEqualTo(ExitCodes.FAILED);
        assertThat(ExitCodes.of(ErrorCode.TARGET_NOT_EMPTY)).isEqualTo(ExitCodes.FAILED);
        assertThat(ExitCodes.of(ErrorCode.VERIFY_FAILED)).as("a copy that is not exact").isEqualTo(ExitCodes.DIFFERENT);
        assertThat(ExitCodes.of(new IllegalArgumentException("x"))).isEqualTo(ExitCodes.USAGE);
    }
}
