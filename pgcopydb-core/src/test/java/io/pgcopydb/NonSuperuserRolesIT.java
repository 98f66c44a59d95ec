package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import io.pgcopydb.testkit.server.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** roles() with a CREATEROLE, non-superuser target role, as on managed services. */
@ExtendWith(PostgresPairExtension.class)
class NonSuperuserRolesIT {

    @Test
    void aCreateroleAdminCreatesTheMissingRoles(DatabasePair pair) {
        String suffix = Long.toString(System.nanoTime());
        String admin = "admin_" + suffix;
        String role = "reader_" + suffix;
        PostgresServer source = pair.source().server();
        PostgresServer target = pair.target().server();
        try {
            source.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'pw-" + suffix + "'");
            target.execute("postgres", "CREATE ROLE " + admin + " LOGIN CREATEROLE");
            pair.target().execute("GRANT CREATE ON DATABASE \"" + pair.target().name() + "\" TO " + admin
                    + "; GRANT CREATE ON SCHEMA public TO " + admin);
            pair.source().execute("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
            RecordingListener listener = new RecordingListener();

            CopyReport report = DatabaseCopy.from(CopyAssertions.spec(pair.source()))
                    .to(ConnectionSpec.jdbc(pair.target().jdbcUrl(), admin, null))
                    .roles().noOwner().noAcl().listener(listener).run();

            listener.assertPaired();
            assertThat(report.succeeded()).isTrue();
            assertThat(target.queryForString("postgres", "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = '"
                    + role + "'")).isEqualTo("true");
            assertThat(pair.target().queryForLong("SELECT count(*) FROM t")).isEqualTo(1);
        } finally {
            pair.target().execute("DROP OWNED BY " + admin + " CASCADE");
            for (PostgresServer server : List.of(source, target)) {
                server.execute("postgres", "DROP ROLE IF EXISTS " + role + "; DROP ROLE IF EXISTS " + admin);
            }
        }
    }
}
