package io.pgcopydb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.connection.ConnectionSpec;
import io.pgcopydb.testkit.junit.DatabasePair;
import io.pgcopydb.testkit.junit.PostgresPairExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The data is streamed, never held: a table whose COPY data is several times the heap copies in a JVM started
 * with {@code -Xmx48m}.
 */
@ExtendWith(PostgresPairExtension.class)
class StreamingMemoryIT {
    private static final int ROWS = 1_000_000;

    @Test
    void aTableLargerThanTheHeapCopiesInASmallHeap(DatabasePair pair) throws Exception {
        pair.source().execute("CREATE TABLE big (id bigint PRIMARY KEY, a text, b text);"
                + "INSERT INTO big SELECT g, md5(g::text) || md5((g + 1)::text), md5((g * 3)::text)"
                + " FROM generate_series(1, " + ROWS + ") g");
        long copyBytes = pair.source().queryForLong(
                "SELECT sum(octet_length(id::text) + octet_length(a) + octet_length(b) + 3) FROM big");
        assertThat(copyBytes).as("COPY data must exceed the child heap").isGreaterThan(2L * (48 << 20));

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx48m", "-cp",
                System.getProperty("java.class.path"), CopyMain.class.getName(),
                pair.source().jdbcUrl(), pair.target().jdbcUrl(), pair.source().server().user()))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError");
        assertThat(pair.target().queryForLong("SELECT count(*) FROM big")).isEqualTo(ROWS);
        CopyAssertions.assertIdentical(pair);
    }

    /** Child JVM: copies args[0] to args[1] as user args[2]. */
    public static final class CopyMain {
        public static void main(String[] args) {
            CopyReport r = DatabaseCopy.from(ConnectionSpec.jdbc(args[0], args[2], null))
                    .to(ConnectionSpec.jdbc(args[1], args[2], null)).jobs(2).run();
            System.out.println("copied " + r.totalRows() + " rows, " + r.totalBytes() + " bytes");
        }
    }
}
