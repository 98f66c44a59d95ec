package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.postgres.BufferedSocketFactory;
import io.pgcopydb.stage.CopyStreamer.CopyResult;
import io.pgcopydb.testkit.server.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pump sends CopyData on from the buffers it was read into ({@link CopyForward}) and leaves the other messages to
 * pgjdbc: rows bigger than any buffer, notices between rows, text and binary all arrive whole, over plain pgjdbc
 * sockets and ours; and the row count comes from the source's command tag (a binary COPY's header and trailer are
 * messages, not rows).
 */
class CopyPumpIT {
    private static LocalPostgres server;

    @BeforeAll
    static void start() {
        server = LocalPostgres.start();
        server.execute("postgres", """
                CREATE FUNCTION noisy(i int) RETURNS int LANGUAGE plpgsql AS $$
                BEGIN IF i % 500 = 0 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$;
                CREATE TABLE src (id int, v text, n numeric, b bytea);
                INSERT INTO src SELECT g, repeat(md5(g::text), g % 50), g / 7.0, decode(md5(g::text), 'hex')
                  FROM generate_series(1, 20000) g;
                INSERT INTO src VALUES (0, repeat('big row ', 400000), 0, NULL), (-1, NULL, NULL, NULL)""");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(boolean ourSocket) throws SQLException {
        String url = server.jdbcUrl("postgres");
        if (ourSocket) {
            url += (url.contains("?") ? "&" : "?") + "socketFactory=" + BufferedSocketFactory.class.getName();
        }
        return DriverManager.getConnection(url, server.user(), server.password().orElse(null));
    }

    @Test
    void everyRowArrivesWhateverTheMessagesBetweenThem() throws Exception {
        for (String format : List.of("text", "binary")) {
            for (boolean ourSocket : List.of(false, true)) {
                copyEveryRow(format, ourSocket);
            }
        }
    }

    private static void copyEveryRow(String format, boolean ourSocket) throws SQLException {
        String label = format + (ourSocket ? " over our socket" : " over pgjdbc's");
        try (Connection source = connect(ourSocket); Connection target = connect(ourSocket)) {
            assertThat(CopyForward.of(source, target)).as("pgjdbc's streams are reachable").isPresent();
            assertThat(CopyForward.of(source, target).get().readsSocketInPlace()).as(label).isEqualTo(ourSocket);
            Statement s = target.createStatement();
            s.execute("DROP TABLE IF EXISTS dst; CREATE TABLE dst (LIKE src)");
            List<Long> progress = new ArrayList<>();
            target.setAutoCommit(false);
            CopyResult r = DefaultCopyStreamer.pump(source, target,
                    "COPY (SELECT noisy(id), v, n, b FROM src) TO STDOUT (FORMAT " + format + ")",
                    "COPY dst FROM STDIN (FORMAT " + format + ")", (rows, bytes) -> progress.add(rows));
            target.commit();

            assertThat(r.rows()).as(label + ": rows from the command tag").isEqualTo(20002);
            assertThat(progress).last().isEqualTo(20002L);
            try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM (SELECT * FROM src EXCEPT ALL "
                    + "SELECT * FROM dst) a) + (SELECT count(*) FROM (SELECT * FROM dst EXCEPT ALL SELECT * FROM "
                    + "src) b), (SELECT count(*) FROM dst)")) {
                rs.next();
                assertThat(rs.getLong(1)).as(label + ": rows that differ").isZero();
                assertThat(rs.getLong(2)).isEqualTo(20002);
            }
        }
    }
}
