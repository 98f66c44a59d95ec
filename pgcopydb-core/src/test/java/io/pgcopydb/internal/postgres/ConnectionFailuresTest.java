package io.pgcopydb.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.ErrorCode;
import io.pgcopydb.Problem;
import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.model.Side;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A failed connection's SQLSTATE and cause, typed; the server's own tests are in PreflightIT. */
class ConnectionFailuresTest {
    private static final ConnectionSpec SPEC = ConnectionSpec.parse("postgres://app:Secret-1@db.example:5433/shop");

    @Test
    void eachSqlStateHasItsCodeAndTheObjectToFix() {
        assertThat(problem(new SQLException("FATAL: password authentication failed", "28P01")))
                .satisfies(p -> assertTyped(p, ErrorCode.AUTHENTICATION_FAILED, "app", "28P01"));
        assertThat(problem(new SQLException("FATAL: no pg_hba.conf entry", "28000")))
                .satisfies(p -> assertTyped(p, ErrorCode.CONNECTION_REJECTED, "app", "28000"));
        assertThat(problem(new SQLException("FATAL: database \"shop\" does not exist", "3D000")))
                .satisfies(p -> assertTyped(p, ErrorCode.DATABASE_NOT_FOUND, "shop", "3D000"));
        assertThat(problem(new SQLException("The server requested password-based authentication, but no password "
                + "was provided by plugin null", "08004")))
                .satisfies(p -> assertTyped(p, ErrorCode.PASSWORD_MISSING, "app", "08004"));
        assertThat(problem(new SQLException("Connection to db.example:5433 refused. Check that the hostname and "
                + "port are correct", "08001")))
                .satisfies(p -> assertTyped(p, ErrorCode.SERVER_UNREACHABLE, "db.example:5433", "08001"));
        assertThat(problem(new SQLException("The connection attempt failed.", "08001",
                new UnknownHostException("db.example"))))
                .satisfies(p -> assertTyped(p, ErrorCode.UNKNOWN_HOST, "db.example", "08001"));
        assertThat(problem(new SQLException("FATAL: sorry, too many clients already", "53300")))
                .satisfies(p -> assertTyped(p, ErrorCode.CONNECTION_REJECTED, "app", "53300"));
    }

    @Test
    void theLineHasTheReasonWithoutTheDriversAdviceAndNoPassword() {
        Problem p = problem(new SQLException("Connection to db.example:5433 refused. Check that the hostname and "
                + "port are correct and that the postmaster is accepting TCP/IP connections.", "08001"));

        assertThat(p.toString()).isEqualTo("cannot connect to the source postgres://app@db.example:5433/shop: "
                + "Connection to db.example:5433 refused: check the host and port, and that the server is running "
                + "and accepts TCP/IP connections").doesNotContain("Secret-1");
    }

    private static Problem problem(SQLException e) {
        return ConnectionFailures.problem(Side.SOURCE, SPEC, e);
    }

    private static void assertTyped(Problem p, ErrorCode code, String object, String sqlState) {
        assertThat(p.code()).as(p.toString()).isEqualTo(code);
        assertThat(p.code().category()).isEqualTo(ErrorCode.Category.CONNECTION);
        assertThat(p.side()).contains(Side.SOURCE);
        assertThat(p.object()).contains(object);
        assertThat(p.sqlState()).contains(sqlState);
        assertThat(p.toString()).doesNotContain("Secret-1", "\n");
    }
}
