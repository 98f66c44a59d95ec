package io.pgcopydb.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link SocketInput#readMore}: the unread bytes move to the front of the buffer, the new ones follow them, and no
 * read asks for more than makes the unread bytes 128 kB (the JDK's most per system call) while they are fewer.
 */
class SocketInputTest {

    @Property(tries = 300)
    void readMoreKeepsTheUnreadBytesInFrontAndStopsAtTheJdksGulp(
            @ForAll @IntRange(min = 16, max = 300_000) int size, @ForAll @IntRange(min = 1, max = 300_000) int first,
            @ForAll @IntRange(min = 0, max = 100) int consumedPercent) throws Exception {
        byte[] bytes = new byte[700_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + i / 251);
        }
        Source source = new Source(bytes, first);
        SocketInput input = new SocketInput(source, size);
        int read = input.refill();
        int consumed = read * consumedPercent / 100;
        if (read - consumed == size) {
            // A full buffer has no room to read more into (aFullBufferCannotReadMore).
            consumed++;
        }
        input.consume(consumed);
        int unread = read - consumed;
        source.maxChunk = Integer.MAX_VALUE;
        int more = input.readMore();
        assertThat(input.position()).isZero();
        int room = size - unread;
        int expected = unread < SocketInput.JDK_GULP ? Math.min(room, SocketInput.JDK_GULP - unread) : room;
        assertThat(source.lastAsked).isEqualTo(expected);
        assertThat(more).isEqualTo(expected);
        assertThat(input.limit()).isEqualTo(unread + more);
        assertThat(Arrays.copyOf(input.buffer(), input.limit()))
                .isEqualTo(Arrays.copyOfRange(bytes, consumed, read + more));
    }

    @Property(tries = 50)
    void aFullBufferCannotReadMore(@ForAll @IntRange(min = 16, max = 5000) int size) throws Exception {
        SocketInput input = new SocketInput(new Source(new byte[size * 2], size), size);
        assertThat(input.refill()).isEqualTo(size);
        assertThatThrownBy(input::readMore).isInstanceOf(IllegalStateException.class);
    }

    /** Gives at most {@code maxChunk} bytes per read, everything it is asked for up to that; remembers the ask. */
    private static final class Source extends InputStream {
        private final byte[] bytes;
        private int maxChunk;
        private int at;
        private int lastAsked;

        Source(byte[] bytes, int maxChunk) {
            this.bytes = bytes;
            this.maxChunk = maxChunk;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            lastAsked = len;
            int n = Math.min(Math.min(len, maxChunk), bytes.length - at);
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }
}
