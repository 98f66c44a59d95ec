package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.postgresql.core.VisibleBufferedInputStream;

/**
 * {@link CopyData#drain} over pgjdbc's read buffer, fed in chunks of random sizes as a socket delivers them: the
 * payloads arrive whole, once each and in order, whatever the batch's room and wherever the buffer cuts a message;
 * it never consumes a byte of the message after the CopyData.
 */
class CopyDataTest {

    @Property(tries = 300)
    void drainMovesEveryPayloadOnceInOrderAndStopsAtTheFirstOtherMessage(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 5000) Integer> rowSizes,
            @ForAll @IntRange(min = 1024, max = 9000) int bufferSize,
            @ForAll @IntRange(min = 1, max = 20000) int batchSize,
            @ForAll @IntRange(min = 1, max = 10000) int maxChunk, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream payloads = new ByteArrayOutputStream();
        for (int size : rowSizes) {
            byte[] row = new byte[size];
            random.nextBytes(row);
            message(wire, 'd', row);
            payloads.write(row);
        }
        message(wire, 'c', new byte[0]);
        message(wire, 'C', "COPY 1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        VisibleBufferedInputStream input = new VisibleBufferedInputStream(
                new Chunks(wire.toByteArray(), maxChunk, random), bufferSize);
        CopyData data = new CopyData(null, input);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] batch = new byte[batchSize];
        int filled = 0;
        long messages = 0;
        while (true) {
            filled = data.drain(batch, filled);
            if (data.drained() > 0) {
                messages += data.drained();
                continue;
            }
            // What the pump does then: send the batch, and take one message the slow way when it is CopyData.
            received.write(batch, 0, filled);
            filled = 0;
            if (input.peek() != 'd') {
                break;
            }
            input.skip(1);
            int length = input.readInt4() - 4;
            byte[] row = new byte[length];
            assertThat(input.read(row, 0, length)).isEqualTo(length);
            received.write(row);
            messages++;
        }
        assertThat(received.toByteArray()).isEqualTo(payloads.toByteArray());
        assertThat(messages).isEqualTo(rowSizes.size());
        assertThat(input.read()).as("the message after the CopyData is left whole").isEqualTo('c');
    }

    private static void message(ByteArrayOutputStream wire, char type, byte[] body) {
        wire.write(type);
        int length = body.length + 4;
        wire.write(length >>> 24);
        wire.write(length >>> 16);
        wire.write(length >>> 8);
        wire.write(length);
        wire.write(body, 0, body.length);
    }

    /** A socket's input: the bytes in reads of 1 to {@code maxChunk} bytes, whatever was asked. */
    private static final class Chunks extends InputStream {
        private final byte[] bytes;
        private final int maxChunk;
        private final Random random;
        private int at;

        Chunks(byte[] bytes, int maxChunk, Random random) {
            this.bytes = bytes;
            this.maxChunk = maxChunk;
            this.random = random;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - at), 1 + random.nextInt(maxChunk));
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
