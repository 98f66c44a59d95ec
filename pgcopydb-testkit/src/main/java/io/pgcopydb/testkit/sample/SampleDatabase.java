package io.pgcopydb.testkit.sample;

import io.pgcopydb.testkit.server.DatabaseContent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic, realistic sample database: a small shop in schema {@code shop}, for demos, benchmarks and
 * tests of database copies.
 *
 * <p>It has customers (identity ALWAYS key, unique e-mail, jsonb preferences, a stored generated column),
 * products (identity BY DEFAULT key, check constraint, text array), orders partitioned by month of 2025 plus a
 * DEFAULT partition (enum status, key from an owned sequence), order lines with foreign keys to products and to
 * the partitioned orders table, a standalone sequence, btree, GIN, partial and expression indexes, a populated
 * and an unpopulated materialized view, comments, and two large objects with fixed OIDs 424242 and 424243.
 *
 * <p>Everything (SQL text and rows) is a pure function of {@code (scale, seed)}: two instances with the same
 * arguments produce byte-identical output, which {@link #digest()} summarises. Row counts grow linearly with
 * the scale; scale 1 is about 50 MB of table and index data once loaded.
 *
 * <p>Instances are immutable and thread-safe; concurrent calls are allowed (each writes to its own
 * {@link Writer} or {@link Connection}).
 */
public final class SampleDatabase implements DatabaseContent {
    private static final Logger LOG = LoggerFactory.getLogger(SampleDatabase.class);
    private static final long DEFAULT_SEED = 42;
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private final double scale;
    private final long seed;
    private final SampleRows rows;

    private SampleDatabase(double scale, long seed) {
        this.scale = scale;
        this.seed = seed;
        this.rows = new SampleRows(scale, seed);
    }

    /**
     * A sample database of the given size and seed.
     *
     * @param scale size factor; 1 is about 50 MB on disk, row counts are proportional to it, and every table
     *              gets at least one row however small the scale
     * @param seed  selects the data; the schema does not depend on it
     * @throws IllegalArgumentException when {@code scale} is not a finite number greater than 0
     */
    public static SampleDatabase of(double scale, long seed) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be > 0, was " + scale);
        }
        if (Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be finite, was " + scale);
        }
        return new SampleDatabase(scale, seed);
    }

    /**
     * A sample database of the given size with the default seed, 42.
     *
     * @see #of(double, long)
     */
    public static SampleDatabase of(double scale) {
        return of(scale, DEFAULT_SEED);
    }

    /** The size factor this instance was created with. */
    public double scale() {
        return scale;
    }

    /** The seed this instance was created with. */
    public long seed() {
        return seed;
    }

    /**
     * The DDL creating schema {@code shop} and everything in it, as semicolon-terminated statements. The text is
     * the same for every scale and seed. It expects a database with no schema {@code shop} yet.
     */
    public String schemaSql() {
        return SampleSql.script(SampleSql.schema());
    }

    /**
     * The schema-qualified names of the tables that receive rows, in load order (parents before children):
     * {@code shop.customers}, {@code shop.products}, {@code shop.orders} (rows are routed to its partitions)
     * and {@code shop.order_lines}.
     */
    public List<String> dataTables() {
        return SampleRows.Table.NAMES;
    }

    /**
     * The exact number of rows {@link #writeCopyData(String, Writer)} writes for {@code table}.
     *
     * @throws IllegalArgumentException when {@code table} is not one of {@link #dataTables()}
     */
    public long expectedRows(String table) {
        return rows.expectedRows(SampleRows.Table.named(table));
    }

    /**
     * Writes every row of {@code table} to {@code out} in COPY text format: one line per row, fields separated
     * by tabs, {@code \N} for NULL, and backslash, tab, newline and carriage return backslash-escaped. Fields
     * are in table column order, leaving out the generated {@code shop.customers.full_name} and including the
     * ids, so a loader runs {@code COPY table (columns) FROM STDIN} with the generated column left out.
     *
     * <p>The output depends only on (scale, seed, table), not on what was written before. Rows are written as
     * they are generated, so memory use does not grow with the scale. {@code out} is neither flushed nor closed.
     *
     * @throws IllegalArgumentException when {@code table} is not one of {@link #dataTables()}
     * @throws IOException              when {@code out} throws
     */
    public void writeCopyData(String table, Writer out) throws IOException {
        Objects.requireNonNull(out, "out");
        rows.write(SampleRows.Table.named(table), out);
    }

    /**
     * Statements to run after the data: move the identity and owned sequences past the copied ids, set the
     * standalone {@code shop.invoice_number_seq} to a seed-dependent value, create the two large objects
     * (OIDs 424242, a small text, and 424243, 256 KiB of binary, both derived from the seed), refresh
     * {@code shop.product_sales} and analyze the tables. {@code shop.customer_stats} stays unpopulated.
     */
    public String postDataSql() {
        return SampleSql.script(SampleSql.postData(seed));
    }

    /**
     * Creates and fills the sample in the database {@code connection} is connected to: runs
     * {@link #schemaSql()}, streams each table in with {@code COPY ... FROM STDIN}, then runs
     * {@link #postDataSql()}. The database must not already contain schema {@code shop} or large objects with
     * the sample's OIDs.
     *
     * <p>Statements run one at a time under the connection's current transaction mode: with autocommit on each
     * one commits by itself; otherwise the caller commits. The connection is not closed.
     *
     * @throws SQLException when a statement or COPY fails; a failed COPY is cancelled, not committed
     */
    @Override
    public void loadInto(Connection connection) throws SQLException {
        long started = System.nanoTime();
        CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        execute(connection, SampleSql.schema());
        for (String table : dataTables()) {
            copy(copyManager, table);
        }
        execute(connection, SampleSql.postData(seed));
        LOG.info("Loaded sample database (scale {}, seed {}) in {} ms", scale, seed,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * SHA-256 over {@link #schemaSql()}, every table's {@link #writeCopyData(String, Writer) COPY data} (in
     * {@link #dataTables()} order, each preceded by its name) and {@link #postDataSql()}. Equal digests mean
     * equal loads. Takes about as long as generating all the rows.
     */
    public byte[] digest() {
        MessageDigest sha256 = sha256();
        OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16)) {
            out.write(schemaSql());
            for (String table : dataTables()) {
                // The NULs keep a table's name from running into its neighbours' data.
                out.write('\0' + table + '\0');
                writeCopyData(table, out);
            }
            out.write(postDataSql());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha256.digest();
    }

    /** The columns {@link #writeCopyData(String, Writer)} fills, in field order. */
    List<String> copyColumns(String table) {
        return SampleRows.Table.named(table).copyColumns;
    }

    private void copy(CopyManager copyManager, String table) throws SQLException {
        String sql = "COPY " + table + " (" + String.join(", ", copyColumns(table)) + ") FROM STDIN";
        long started = System.nanoTime();
        CopyIn copyIn = copyManager.copyIn(sql);
        boolean finished = false;
        try {
            Writer out = new OutputStreamWriter(new PGCopyOutputStream(copyIn, COPY_BUFFER_BYTES),
                    StandardCharsets.UTF_8);
            writeCopyData(table, out);
            out.flush();
            long rowCount = copyIn.endCopy();
            finished = true;
            LOG.debug("Copied {} rows into {} in {} ms", rowCount, table, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            // pgjdbc reports server-side COPY errors as IOExceptions caused by the SQLException.
            if (e.getCause() instanceof SQLException cause) {
                throw cause;
            }
            throw new SQLException("COPY into " + table + " failed", e);
        } finally {
            if (!finished) {
                cancel(copyIn, table);
            }
        }
    }

    /** Ending the COPY instead would keep the rows sent so far; cancelling also leaves the connection usable. */
    private static void cancel(CopyIn copyIn, String table) {
        try {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        } catch (SQLException e) {
            LOG.warn("Could not cancel the failed COPY into {}", table, e);
        }
    }

    private static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
