package io.pgcopydb.testkit.server;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Something {@link TestDatabase#load(DatabaseContent)} can write into a database over one JDBC connection, such
 * as the generated {@code io.pgcopydb.testkit.sample.SampleDatabase}. It lets this package load sample data
 * without depending on the package that generates it.
 */
public interface DatabaseContent {

    /**
     * Creates and fills the content in the database {@code connection} is connected to; the connection is not
     * closed.
     *
     * @throws SQLException when a statement fails
     */
    void loadInto(Connection connection) throws SQLException;
}
