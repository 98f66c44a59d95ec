package io.pgcopydb.internal.follow;

import io.pgcopydb.connection.ConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Sessions of the replication protocol on the source ({@code replication=database}), for the slot and the stream. */
final class ReplicationSessions {
    private ReplicationSessions() {
    }

    /**
     * A replication session to {@code source}'s database: the simple query protocol (the only one a walsender
     * speaks), and no version probing queries (a walsender answers only replication commands and simple SQL).
     */
    static Connection open(ConnectionSpec source, String role) throws SQLException {
        Properties props = source.jdbcProperties();
        props.putIfAbsent("ApplicationName", "pgcopydb " + role);
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(source.jdbcUrl(), props);
    }
}
