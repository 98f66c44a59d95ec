package io.pgcopydb.internal.preflight;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.Versions;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.internal.catalog.CatalogSql;
import io.pgcopydb.internal.postgres.ConnectionFailures;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.postgres.PgTools;
import io.pgcopydb.internal.postgres.Sessions;
import io.pgcopydb.internal.run.Futures;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks made before anything is written: both servers answer, client tools fit the source, source and target
 * are different databases, the target holds no user relations (unless {@code dropIfExists}), and the connecting
 * roles hold every privilege the copy needs ({@link PrivilegeCheck}), and in a downgrade the target's version can
 * hold every object the catalog shows ({@link TargetVersionCheck}). Every problem is collected and reported at
 * once, each with its remedy; degradations the run will survive are logged as warnings.
 */
public final class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);

    private static final String TARGET_RELATIONS = """
            SELECT count(*), min(format('%I.%I', n.nspname, c.relname))
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND\s""" + CatalogSql.USER_RELATION;

    /** What preflight learned and later steps need: the tools, the versions of both sides, the warnings. */
    public record Result(int sourceMajor, PgTools tools, List<String> warnings, Versions versions) {
    }

    private Preflight() {
    }

    public static Result check(CopyOptions options, Map<String, String> env) {
        return check(options, env, List.of());
    }

    /**
     * @param earlier problems found before connecting (the work directory's), reported with the others
     * @throws PgCopyException with every problem found, typed; a connection problem's {@link SQLException} is its
     *     cause
     */
    public static Result check(CopyOptions options, Map<String, String> env, List<Problem> earlier) {
        return check(options, env, earlier, versions -> { });
    }

    /**
     * As {@link #check(CopyOptions, Map, List)}; {@code found} is told the versions as soon as they are known, so
     * the report of a refused copy (a downgrade's, say) still says which servers and tools it was about.
     */
    public static Result check(CopyOptions options, Map<String, String> env, List<Problem> earlier,
            Consumer<Versions> found) {
        return check(options, env, earlier, found, TargetRule.EMPTY);
    }

    /** What the target may already hold. */
    public enum TargetRule {
        /** Nothing: the copy starts here (unless {@code dropIfExists()} or {@code resume()}). */
        EMPTY,
        /** What earlier steps run alone on the same work directory wrote there (its journal says so). */
        FILLED_BY_EARLIER_STEPS,
        /** Anything: the run writes nothing to the target (a schema dump alone). */
        NOT_WRITTEN
    }

    /** As {@link #check(CopyOptions, Map, List, Consumer)}, with the rule for what the target may hold. */
    public static Result check(CopyOptions options, Map<String, String> env, List<Problem> earlier,
            Consumer<Versions> found, TargetRule rule) {
        return check(options, env, earlier, found, rule, Runnable::run);
    }

    /**
     * As {@link #check(CopyOptions, Map, List, Consumer, TargetRule)}; the target's session is opened and asked who
     * it is on {@code executor} while the source's is, and the client tools looked for: a new session is most of a
     * check's time (a direct executor does one after the other).
     */
    public static Result check(CopyOptions options, Map<String, String> env, List<Problem> earlier,
            Consumer<Versions> found, TargetRule rule, Executor executor) {
        List<Problem> problems = new ArrayList<>(earlier);
        List<String> warnings = new ArrayList<>();
        if (options.resume() && options.consistent() && options.snapshot().isEmpty()) {
            problems.add(Problem.of(ErrorCode.RESUME_NEEDS_SNAPSHOT_CHOICE, "resume() needs notConsistent() or "
                    + "snapshot(id): the interrupted run's snapshot died with it, and a new one would not match the "
                    + "rows it copied", "add notConsistent(), or snapshot(id) naming a snapshot a live session "
                    + "exported"));
        }
        SQLException connectionFailure = null;
        Connection sourceConnection = null;
        Connection targetConnection = null;
        Identity source = null;
        Identity target = null;
        PgTools tools = null;
        Versions versions = null;
        CompletableFuture<Opened> targetSide = Futures.supply(executor, () -> Opened.open(options.target()));
        try {
            Opened sourceSide = Opened.open(options.source());
            sourceConnection = sourceSide.connection();
            source = sourceSide.identity();
            if (sourceSide.failure() != null) {
                problems.add(ConnectionFailures.problem(Side.SOURCE, options.source(), sourceSide.failure()));
                connectionFailure = sourceSide.failure();
            }
            Problem toolsProblem = null;
            if (source != null) {
                try {
                    tools = PgTools.locate(source.major(), options.clientTools(), env);
                    LOG.info("{}", tools.describe());
                } catch (PgTools.Unavailable e) {
                    toolsProblem = e.problem();
                }
            }
            Opened t = Futures.join(targetSide, RuntimeException.class);
            targetConnection = t.connection();
            target = t.identity();
            if (t.failure() != null) {
                problems.add(ConnectionFailures.problem(Side.TARGET, options.target(), t.failure()));
                connectionFailure = connectionFailure == null ? t.failure() : connectionFailure;
            }
            if (toolsProblem != null) {
                problems.add(toolsProblem);
            }
            if (source != null && target != null && tools != null) {
                versions = new Versions(source.version(), target.version(), tools.version(), tools.binDirectory());
                LOG.info("{}", versions);
                found.accept(versions);
                problems.addAll(versions(versions, sourceConnection, warnings));
                try {
                    problems.addAll(CompressionCheck.problems(sourceConnection, versions.sourceMajor(),
                            targetConnection));
                } catch (SQLException e) {
                    warn(warnings, "preflight: the source's lz4 columns could not be checked: " + Errors.message(e));
                }
            }
            if (source != null && target != null) {
                if (source.sameDatabaseAs(target)) {
                    problems.add(Problem.of(ErrorCode.SAME_DATABASE, "source and target are the same database ("
                            + options.target().toUri() + ")", "give a different target").withSide(Side.TARGET)
                            .withObject(target.database()));
                } else {
                    if (target.relations() > 0 && !options.dropIfExists() && !options.resume()
                            && rule == TargetRule.EMPTY) {
                        problems.add(Problem.of(ErrorCode.TARGET_NOT_EMPTY, "target database "
                                + options.target().database() + " is not empty (" + target.relations()
                                + " relations, e.g. " + target.example() + ")", "copy into an empty database, or "
                                + "use dropIfExists() to replace an older copy" + (options.steps().isPresent()
                                ? ", or run the steps with the work directory of the earlier steps that filled it"
                                : "")).withSide(Side.TARGET)
                                .withObject(options.target().database()));
                    }
                    problems.addAll(privileges(options, sourceConnection, targetConnection, warnings));
                    source.localeDifferences(target).forEach(w -> warn(warnings, "preflight: " + w));
                }
            }
        } finally {
            Sessions.closeQuietly(sourceConnection, null);
            // Also when this thread failed before taking the target's session: it is closed once opened.
            targetSide.thenAccept(t -> Sessions.closeQuietly(t.connection(), null));
        }
        if (!problems.isEmpty()) {
            throw PgCopyException.builder(problems.get(0).code(), "preflight failed: " + problems.stream()
                    .map(Problem::toString).collect(Collectors.joining("; ")))
                    .problems(problems).phase(Phase.PREFLIGHT).cause(connectionFailure).build();
        }
        return new Result(source.major(), tools, warnings, versions);
    }

    /**
     * The version warnings ({@link TargetVersionCheck#warnings}), and in a downgrade every source object the
     * target's version cannot hold, read before anything is written. Package-private: a test pretends the target
     * is older than the servers it can start.
     */
    static List<Problem> versions(Versions versions, Connection sourceConnection, List<String> warnings) {
        TargetVersionCheck.warnings(versions).forEach(w -> warn(warnings, w));
        if (!versions.downgrade()) {
            return List.of();
        }
        try {
            return TargetVersionCheck.problems(SourceFeatures.read(sourceConnection, versions.sourceMajor()),
                    versions.targetMajor());
        } catch (SQLException e) {
            warn(warnings, "preflight: the source's newer features could not be read, continuing without the "
                    + "check: " + Errors.message(e));
            return List.of();
        }
    }

    /**
     * The privilege problems; warnings are logged here, once, and added to {@code warnings}. A check that cannot
     * run blocks nothing.
     */
    private static List<Problem> privileges(CopyOptions options, Connection source, Connection target,
            List<String> warnings) {
        try {
            PrivilegeCheck.Findings findings = PrivilegeCheck.check(options, source, target);
            findings.warnings().forEach(w -> warn(warnings, "preflight: " + w));
            return findings.problems();
        } catch (SQLException e) {
            warn(warnings, "preflight: the privilege check could not run, continuing without it: "
                    + Errors.message(e));
            return List.of();
        }
    }

    private static void warn(List<String> warnings, String message) {
        LOG.warn("{}", message);
        warnings.add(message);
    }

    /**
     * One side's preflight session and who it is, or why it could not be opened ({@code failure}); anything else
     * thrown closes the session and is thrown on.
     */
    private record Opened(Connection connection, Identity identity, SQLException failure) {
        static Opened open(ConnectionSpec spec) {
            Connection c = null;
            try {
                c = Sessions.connect(spec, "preflight");
                return new Opened(c, identify(c), null);
            } catch (SQLException e) {
                return new Opened(c, null, e);
            } catch (RuntimeException e) {
                Sessions.closeQuietly(c, e);
                throw e;
            }
        }
    }

    /**
     * Who a server is, enough to tell two databases apart and to check the target is empty, and the database's
     * own encoding and locale, which a copy does not change.
     */
    private record Identity(int major, String version, String systemId, String database, long relations, String example,
            String encoding, String collate, String ctype) {
        boolean sameDatabaseAs(Identity other) {
            return systemId.equals(other.systemId) && database.equals(other.database);
        }

        /**
         * How the target database ({@code other}) differs in what is its own and not copied: its encoding and its
         * locale (the tablespace is its own too, and changes nothing a query sees).
         */
        List<String> localeDifferences(Identity other) {
            List<String> out = new ArrayList<>();
            if (!encoding.equals(other.encoding)) {
                out.add("the target database's encoding is " + other.encoding + ", the source's " + encoding
                        + ": text is converted, and a character the target's encoding cannot hold fails its table");
            }
            if (!collate.equals(other.collate)) {
                out.add("the target database's LC_COLLATE is " + other.collate + ", the source's " + collate
                        + ": text sorts differently there (ORDER BY, indexes, range partitions on text)");
            }
            if (!ctype.equals(other.ctype)) {
                out.add("the target database's LC_CTYPE is " + other.ctype + ", the source's " + ctype
                        + ": upper(), lower() and character classes may behave differently there");
            }
            return out;
        }
    }

    private static Identity identify(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int versionNum;
            String version;
            String database;
            String[] locale = new String[3];
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int, d.datname, "
                    + "pg_catalog.pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, "
                    + "split_part(current_setting('server_version'), ' ', 1) "
                    + "FROM pg_catalog.pg_database d WHERE d.datname = current_database()")) {
                rs.next();
                versionNum = rs.getInt(1);
                database = rs.getString(2);
                for (int i = 0; i < locale.length; i++) {
                    locale[i] = rs.getString(3 + i);
                }
                version = rs.getString(6);
            }
            long relations;
            String example;
            try (ResultSet rs = s.executeQuery(TARGET_RELATIONS)) {
                rs.next();
                relations = rs.getLong(1);
                example = rs.getString(2);
            }
            return new Identity(versionNum / 10000, version, systemIdentifier(c), database, relations, example, locale[0],
                    locale[1], locale[2]);
        }
    }

    private static String systemIdentifier(Connection c) throws SQLException {
        // pg_control_system() may be revoked from ordinary roles; the postmaster start time and data directory
        // port identify a running cluster well enough.
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT system_identifier::text FROM pg_catalog.pg_control_system()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_catalog.pg_postmaster_start_time()::text || '/' || current_setting('port')")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
