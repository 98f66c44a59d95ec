package io.pgcopydb.testkit.junit;

import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.ServerProvider;
import io.pgcopydb.testkit.server.ServerProviders;
import io.pgcopydb.testkit.server.TestDatabase;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension giving a test a {@link DatabasePair}: a fresh database on a source server and one on a
 * separate target server, both dropped after the test.
 *
 * <p>The two servers are started once per test run (from {@link ServerProviders#fromEnvironment()}) and shared
 * by every test class that uses the extension; they are stopped when the run ends. Use it with
 * {@code @ExtendWith(PostgresPairExtension.class)} and a {@code DatabasePair} parameter on a test method or a
 * {@code @BeforeEach} method (both get the same pair). The source database is named {@code <name>_src} and
 * the target {@code <name>_tgt}, so a pair of external URIs may even point at one server.
 *
 * <p>A test method or class annotated {@link PostgresPair @PostgresPair(source = 12, target = 17)} gets its
 * databases on local servers of those major versions instead, each version started once per run.
 */
public final class PostgresPairExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresPairExtension.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == DatabasePair.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        ServerPair servers = versions(context).map(v -> versioned(context, v))
                .orElseGet(() -> context.getRoot().getStore(NAMESPACE)
                        .getOrComputeIfAbsent(ServerPair.class, k -> ServerPair.start(), ServerPair.class));
        // One pair of databases per test method, shared by its @BeforeEach methods and the test itself.
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(FreshDatabases.class, k -> servers.freshDatabases(nextName(context)), FreshDatabases.class)
                .pair();
    }

    /** The method's {@code @PostgresPair}, else its class's (an enclosing class's for a nested one). */
    private static Optional<PostgresPair> versions(ExtensionContext context) {
        Optional<PostgresPair> onMethod = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, PostgresPair.class));
        if (onMethod.isPresent()) {
            return onMethod;
        }
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<PostgresPair> onClass = c.get().getTestClass()
                    .flatMap(k -> AnnotationSupport.findAnnotation(k, PostgresPair.class));
            if (onClass.isPresent()) {
                return onClass;
            }
        }
        return Optional.empty();
    }

    private static ServerPair versioned(ExtensionContext context, PostgresPair versions) {
        VersionedServers all = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(VersionedServers.class, k -> new VersionedServers(), VersionedServers.class);
        List<PostgresServer> pair = all.pair(versions.source(), versions.target());
        // Not stored: the servers belong to VersionedServers, which closes them when the run ends.
        return new ServerPair(pair.get(0), pair.get(1));
    }

    private static String nextName(ExtensionContext context) {
        String method = context.getTestMethod().map(m -> m.getName()).orElse("class");
        String base = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_" + method;
        return base.length() > 56 ? base.substring(0, 56) : base;
    }

    /** The run's two servers; closed by JUnit when the root store closes. */
    private record ServerPair(PostgresServer source, PostgresServer target) implements AutoCloseable {
        static ServerPair start() {
            ServerProvider provider = ServerProviders.fromEnvironment();
            PostgresServer source = provider.server(ServerProvider.Role.SOURCE);
            try {
                return new ServerPair(source, provider.server(ServerProvider.Role.TARGET));
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
        }

        FreshDatabases freshDatabases(String name) {
            source.createDatabase(name + "_src");
            target.createDatabase(name + "_tgt");
            return new FreshDatabases(new DatabasePair(
                    new TestDatabase(source, name + "_src"), new TestDatabase(target, name + "_tgt")));
        }

        @Override
        public void close() {
            try {
                source.close();
            } finally {
                target.close();
            }
        }
    }

    /** A test's databases; dropped by JUnit when the test's store closes. */
    private record FreshDatabases(DatabasePair pair) implements AutoCloseable {
        @Override
        public void close() {
            try {
                pair.source().server().dropDatabase(pair.source().name());
            } finally {
                pair.target().server().dropDatabase(pair.target().name());
            }
        }
    }
}
