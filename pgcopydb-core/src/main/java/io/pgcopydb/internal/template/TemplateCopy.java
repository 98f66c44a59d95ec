package io.pgcopydb.internal.template;

import io.pgcopydb.CopyOptions;
import io.pgcopydb.ErrorCode;
import io.pgcopydb.PgCopyException;
import io.pgcopydb.Phase;
import io.pgcopydb.Problem;
import io.pgcopydb.Strategy;
import io.pgcopydb.StrategyReport;
import io.pgcopydb.internal.postgres.ConnectionFailures;
import io.pgcopydb.internal.postgres.Errors;
import io.pgcopydb.internal.run.Futures;
import io.pgcopydb.model.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the strategy of a copy and, for {@link Strategy#TEMPLATE}, makes the copy: {@code CREATE DATABASE target
 * TEMPLATE source STRATEGY FILE_COPY} (15+). Chosen by measurement on this project's 2-core machine (PostgreSQL 15,
 * pagila, 16 MB, four interleaved rounds in one psql session): FILE_COPY 19.6–20.5 ms against WAL_LOG 25.9–36.9
 * ms, and ten creates two at a time 0.30–0.52 s against 0.43–0.55 s; WAL_LOG also writes every page to the WAL,
 * which grows with the database, where FILE_COPY's two checkpoints do not. (Under another load on the machine both
 * took 180–200 ms.) When the copy streams, a target database that does not exist is created here, shaped like the
 * source. Never drops what it did not create, except a target with
 * {@code dropIfExists()} on the template path; never ends a session unless {@code terminateSourceSessions()}.
 */
public final class TemplateCopy {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateCopy.class);

    private final CopyOptions options;
    private final Consumer<String> warn;
    private final Connection maintenance;
    private final String target;
    private TargetDatabase.Facts facts;

    private TemplateCopy(CopyOptions options, Consumer<String> warn, Connection maintenance) {
        this.options = options;
        this.warn = warn;
        this.maintenance = maintenance;
        this.target = options.target().database();
    }

    /**
     * What {@link #run} did.
     *
     * @param strategy which strategy ran and why; {@link Strategy#TEMPLATE} means the copy is made
     * @param session for the template copy, the session that made it, still open, on the maintenance database of
     *     the one server both databases are on, for what remains to do there (the database's properties, in shared
     *     catalogs) — the caller closes it; null when the copy streams
     * @param template the source database's name, for that session
     * @param plain whether the source has none of the properties a template copy leaves behind (comment, ACL,
     *     settings): then nothing remains to do
     */
    public record Outcome(StrategyReport strategy, Connection session, String template, boolean plain) {
        static Outcome streamed(StrategyReport strategy) {
            return new Outcome(strategy, null, null, false);
        }
    }

    /**
     * Chooses and, for the template, copies: only two sessions, one on the source (closed before the copy) and one
     * on the server's maintenance database, which the caller goes on using (fixture suites count the
     * milliseconds of every connection).
     *
     * @throws PgCopyException with {@code strategy(TEMPLATE)}, when the template path cannot run (one problem, one
     *     line); or when the target database could not be created
     */
    public static Outcome run(CopyOptions options, Consumer<String> warn, Executor executor) {
        // The two sessions are opened at once: a connection is the largest cost of a template copy after the copy.
        CompletableFuture<Connection> opening = Futures.supply(executor, () -> TargetDatabase.maintenance(
                options.target()));
        SourceFacts source;
        try {
            source = SourceFacts.read(options.source());
        } catch (SQLException e) {
            opening.thenAccept(TemplateCopy::closeQuietly);
            // Preflight reports an unreachable or missing source with every other problem; a forced template names it.
            if (options.strategy() == Strategy.TEMPLATE) {
                Problem p = ConnectionFailures.problem(Side.SOURCE, options.source(), e);
                throw PgCopyException.builder(p.code(), "strategy(TEMPLATE): the template database "
                        + options.source().database() + " cannot be used: " + p.message()).problem(p)
                        .phase(Phase.PREFLIGHT).build();
            }
            return Outcome.streamed(StrategyReport.streamed("the source could not be read to choose: "
                    + Errors.message(e)));
        }
        Connection m = null;
        try {
            m = Futures.join(opening, SQLException.class);
            StrategyReport chosen = new TemplateCopy(options, warn, m).choose(source);
            if (chosen.strategy() == Strategy.TEMPLATE) {
                Connection kept = m;
                m = null;
                return new Outcome(chosen, kept, source.shape().name(), source.plain());
            }
            return Outcome.streamed(chosen);
        } catch (SQLException e) {
            if (options.strategy() == Strategy.TEMPLATE) {
                Problem p = ConnectionFailures.problem(Side.TARGET, options.target(), e);
                throw PgCopyException.builder(p.code(), "strategy(TEMPLATE): " + p.message()).problem(p)
                        .phase(Phase.PREFLIGHT).build();
            }
            return Outcome.streamed(StrategyReport.streamed("the target's server could not be asked: "
                    + Errors.message(e)));
        } finally {
            closeQuietly(m);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the maintenance session: {}", Errors.message(e));
            }
        }
    }

    private StrategyReport choose(SourceFacts source) throws SQLException {
        facts = TargetDatabase.facts(maintenance, target);
        boolean exists = facts.exists();
        if (options.strategy() == Strategy.STREAM) {
            return stream(source, "strategy(STREAM) asked", exists);
        }
        String asked = options.templateRefusal();
        if (!asked.isEmpty()) {
            return stream(source, asked + " asked, which a file copy of the whole database cannot honour", exists);
        }
        ServerIdentity here = ServerIdentity.read(maintenance, options.target());
        if (!source.server().sameServerAs(here)) {
            return refuseOrStream(source, exists, ErrorCode.TEMPLATE_REFUSED, source.server().differenceFrom(here),
                    "use strategy(STREAM) or AUTO between servers");
        }
        if (exists && !options.dropIfExists()) {
            return refuseOrStream(source, true, ErrorCode.TARGET_EXISTS, "the target database " + target
                    + " exists", "drop it, name another, or add dropIfExists() to replace it whole");
        }
        if (exists && options.strategy() == Strategy.AUTO && TargetDatabase.holdsRelations(options.target())) {
            return stream(source, "the target database " + target + " exists and holds relations, which the "
                    + "template would drop with it", true);
        }
        if (!source.mayBeTemplate()) {
            return refuseOrStream(source, exists, ErrorCode.PRIVILEGE_MISSING, "the role may not create a database "
                    + "from " + source.shape().name(), "connect as a role with CREATEDB owning the source database");
        }
        if (source.otherSessions() > 0) {
            if (!options.terminateSourceSessions()) {
                return refuseOrStream(source, exists, ErrorCode.TEMPLATE_REFUSED, source.otherSessions()
                        + " other session(s) on the source database " + source.shape().name()
                        + ", and a template needs none", "add terminateSourceSessions(), or close them");
            }
            TargetDatabase.execute(maintenance, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = " + TargetDatabase.literal(source.shape().name())
                    + " AND pid <> pg_backend_pid()");
            warn.accept(source.otherSessions() + " session(s) on the source database ended: terminateSourceSessions()");
        }
        return template(source, exists);
    }

    private StrategyReport template(SourceFacts source, boolean exists) throws SQLException {
        if (exists) {
            TargetDatabase.drop(maintenance, target);
            LOG.info("Dropped the target database {} (dropIfExists()): the template copy replaces it", target);
        }
        String sql = "CREATE DATABASE " + TargetDatabase.ident(target) + " TEMPLATE "
                + TargetDatabase.ident(source.shape().name())
                + (facts.version() >= 150000 ? " STRATEGY FILE_COPY" : "");
        long t = System.nanoTime();
        try {
            TargetDatabase.execute(maintenance, sql);
        } catch (SQLException e) {
            if (!"55006".equals(e.getSQLState())) {
                throw e;
            }
            // A session arrived between the count and the copy: the server waited 5 s for it.
            return refuseOrStream(source, false, ErrorCode.TEMPLATE_REFUSED, "the source database "
                    + source.shape().name() + " is being accessed by other users", "add terminateSourceSessions()");
        }
        String owner = ownedLikeSource(source.shape(), facts.user());
        LOG.info("Copied by the server: {} in {} ms", sql, (System.nanoTime() - t) / 1_000_000);
        return new StrategyReport(Strategy.TEMPLATE, "same server (" + source.server().how() + " "
                + source.server().identifier() + ")", Optional.of("target database " + target
                + " created from template " + source.shape().name() + owner));
    }

    /** The copy owned by the source's owner where the role may give it away; the report's suffix. */
    private String ownedLikeSource(DatabaseShape shape, String currentUser) throws SQLException {
        if (shape.owner().equals(currentUser)) {
            return ", owner " + shape.owner();
        }
        try {
            TargetDatabase.execute(maintenance, "ALTER DATABASE " + TargetDatabase.ident(target) + " OWNER TO "
                    + TargetDatabase.ident(shape.owner()));
            return ", owner " + shape.owner();
        } catch (SQLException e) {
            warn.accept("target database " + target + " is owned by the connecting role: owner " + shape.owner()
                    + " refused (" + Errors.message(e) + ")");
            return ", owned by the connecting role";
        }
    }

    private StrategyReport refuseOrStream(SourceFacts source, boolean exists, ErrorCode code, String reason,
            String remedy) throws SQLException {
        if (options.strategy() == Strategy.TEMPLATE) {
            String message = "strategy(TEMPLATE) refused: " + reason + ": " + remedy;
            throw PgCopyException.builder(code, message).problem(Problem.of(code, message, remedy)
                    .withSide(code == ErrorCode.TARGET_EXISTS ? Side.TARGET : Side.SOURCE)
                    .withObject(code == ErrorCode.TARGET_EXISTS ? target : source.shape().name()))
                    .phase(Phase.PREFLIGHT).build();
        }
        return stream(source, reason, exists);
    }

    private StrategyReport stream(SourceFacts source, String reason, boolean exists) throws SQLException {
        LOG.info("Streaming: {}", reason);
        if (exists) {
            return StrategyReport.streamed(reason);
        }
        return new StrategyReport(Strategy.STREAM, reason,
                Optional.of(TargetDatabase.create(maintenance, target, source.shape(), warn)));
    }
}
