package io.pgcopydb.internal.run;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * A session lent by {@link SessionPool}: the connection's own methods, until {@link #close()} gives the
 * connection back (to serve another unit, or to be closed). After that, this handle is closed, whatever the
 * connection does next, and a second {@code close()}, from whichever thread, does nothing: a connection given back
 * twice would serve two units at once. {@link #abort} closes the connection itself. Written out rather than a
 * reflective proxy: every call is a plain one. Not thread-safe beyond that and the connection's own safety.
 */
final class PooledConnection implements Connection {
    private final Connection raw;
    private final Consumer<Connection> giveBack;
    private final AtomicBoolean closed = new AtomicBoolean();

    PooledConnection(Connection raw, Consumer<Connection> giveBack) {
        this.raw = raw;
        this.giveBack = giveBack;
    }

    private Connection raw() throws SQLException {
        if (closed.get()) {
            throw new PSQLException("This connection has been closed.", PSQLState.CONNECTION_DOES_NOT_EXIST);
        }
        return raw;
    }

    private Connection clientInfoTarget() throws SQLClientInfoException {
        if (closed.get()) {
            throw new SQLClientInfoException("This connection has been closed.", Map.of());
        }
        return raw;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            giveBack.accept(raw);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed.get() || raw.isClosed();
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        closed.set(true);
        raw.abort(executor);
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : raw().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || raw().isWrapperFor(type);
    }

    @Override
    public Statement createStatement() throws SQLException {
        return raw().createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return raw().prepareStatement(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return raw().prepareCall(sql);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return raw().nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        raw().setAutoCommit(autoCommit);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return raw().getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        raw().commit();
    }

    @Override
    public void rollback() throws SQLException {
        raw().rollback();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return raw().getMetaData();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        raw().setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return raw().isReadOnly();
    }

    @Override
    public void setCatalog(String name) throws SQLException {
        raw().setCatalog(name);
    }

    @Override
    public String getCatalog() throws SQLException {
        return raw().getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        raw().setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return raw().getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return raw().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        raw().clearWarnings();
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return raw().createStatement(type, concurrency);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return raw().prepareStatement(sql, type, concurrency);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return raw().prepareCall(sql, type, concurrency);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return raw().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        raw().setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        raw().setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return raw().getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return raw().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return raw().setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        raw().rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        raw().releaseSavepoint(savepoint);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        return raw().createStatement(type, concurrency, holdability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return raw().prepareStatement(sql, type, concurrency, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        return raw().prepareCall(sql, type, concurrency, holdability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return raw().prepareStatement(sql, autoGeneratedKeys);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return raw().prepareStatement(sql, columnIndexes);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return raw().prepareStatement(sql, columnNames);
    }

    @Override
    public Clob createClob() throws SQLException {
        return raw().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return raw().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return raw().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return raw().createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return raw().isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return raw().getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return raw().getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return raw().createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] elements) throws SQLException {
        return raw().createStruct(typeName, elements);
    }

    @Override
    public void setSchema(String name) throws SQLException {
        raw().setSchema(name);
    }

    @Override
    public String getSchema() throws SQLException {
        return raw().getSchema();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        raw().setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return raw().getNetworkTimeout();
    }
}
