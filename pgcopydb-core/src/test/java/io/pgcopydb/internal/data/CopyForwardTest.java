package io.pgcopydb.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgcopydb.internal.postgres.SocketInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.postgresql.core.VisibleBufferedInputStream;

/**
 * {@link CopyForward} over pgjdbc's read buffer and our socket's beneath it, fed in chunks of random sizes as a
 * socket delivers them: the target receives every CopyData message whole, byte for byte, once each and in order,
 * wherever a buffer cuts a message or its header; nothing else reaches it; and each other message (a notice between
 * rows, the end of the copy) is left whole for pgjdbc.
 */
class CopyForwardTest {

    @Property(tries = 400)
    void everyCopyDataMessageReachesTheTargetWholeAndNothingElse(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 5000) Integer> rowSizes,
            @ForAll @IntRange(min = 64, max = 9000) int pgjdbcBuffer,
            @ForAll @IntRange(min = 0, max = 20000) int socketBuffer,
            @ForAll @IntRange(min = 1, max = 10000) int maxChunk,
            @ForAll @IntRange(min = 0, max = 10) int noticeEvery, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream copyData = new ByteArrayOutputStream();
        long payloadBytes = 0;
        int notices = 0;
        for (int i = 0; i < rowSizes.size(); i++) {
            byte[] row = new byte[rowSizes.get(i)];
            random.nextBytes(row);
            message(wire, 'd', row);
            message(copyData, 'd', row);
            payloadBytes += row.length;
            if (noticeEvery > 0 && i % noticeEvery == noticeEvery - 1) {
                message(wire, 'N', "notice".getBytes(StandardCharsets.US_ASCII));
                notices++;
            }
        }
        message(wire, 'c', new byte[0]);
        message(wire, 'C', "COPY 1\0".getBytes(StandardCharsets.US_ASCII));

        InputStream socket = new Chunks(wire.toByteArray(), maxChunk, random);
        // socketBuffer 0: not our socket (TLS), pgjdbc's buffer alone.
        SocketInput ours = socketBuffer == 0 ? null : new SocketInput(socket, Math.max(16, socketBuffer));
        VisibleBufferedInputStream input = new VisibleBufferedInputStream(ours != null ? ours : socket,
                pgjdbcBuffer);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        CopyForward forward = new CopyForward(input, ours, target);
        int others = 0;
        while (true) {
            if (forward.forward()) {
                continue;
            }
            // What pgjdbc does then: reads the message; a notice, and the copy goes on.
            int type = input.read();
            if (type != 'N') {
                assertThat((char) type).as("the message after the CopyData is left whole").isEqualTo('c');
                assertThat(input.readInt4()).isEqualTo(4);
                break;
            }
            others++;
            int length = input.readInt4() - 4;
            assertThat(input.skip(length)).isEqualTo(length);
        }
        assertThat(target.toByteArray()).isEqualTo(copyData.toByteArray());
        assertThat(forward.messages()).isEqualTo(rowSizes.size());
        assertThat(forward.bytes()).isEqualTo(payloadBytes);
        assertThat(others).isEqualTo(notices);
    }

    @Property(tries = 300)
    void aSourceLostInsideAMessageIsToldSoTheTargetIsClosedNotCancelled(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 3000) Integer> rowSizes,
            @ForAll @IntRange(min = 64, max = 9000) int pgjdbcBuffer,
            @ForAll @IntRange(min = 0, max = 5000) int socketBuffer,
            @ForAll @IntRange(min = 0, max = 100) int cutPercent, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        java.util.Set<Integer> boundaries = new java.util.HashSet<>(List.of(0));
        for (int size : rowSizes) {
            byte[] row = new byte[size];
            random.nextBytes(row);
            message(wire, 'd', row);
            boundaries.add(wire.size());
        }
        byte[] bytes = wire.toByteArray();
        // The connection drops after `cut` bytes: no end of the copy ever arrives.
        int cut = bytes.length * cutPercent / 100;
        InputStream socket = new Chunks(java.util.Arrays.copyOf(bytes, cut), 4000, random);
        SocketInput ours = socketBuffer == 0 ? null : new SocketInput(socket, Math.max(16, socketBuffer));
        VisibleBufferedInputStream input = new VisibleBufferedInputStream(ours != null ? ours : socket,
                pgjdbcBuffer);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        CopyForward forward = new CopyForward(input, ours, target);
        IOException lost = null;
        try {
            while (forward.forward()) {
                assertThat(forward.midMessage()).as("between two calls, the target has whole messages").isFalse();
            }
        } catch (IOException e) {
            lost = e;
        }
        assertThat(lost).as("the source's end is an I/O error, never a quiet end").isNotNull();
        assertThat(target.toByteArray()).isEqualTo(java.util.Arrays.copyOf(bytes, target.size()));
        assertThat(forward.midMessage()).as("target stopped after %s bytes", target.size())
                .isEqualTo(!boundaries.contains(target.size()));
    }

    @Property(tries = 300)
    void aMessageCutByARead_goesWholeWithTheNextOnesWhenItFitsOurBuffer(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 3000) Integer> rowSizes,
            @ForAll @IntRange(min = 16, max = 20000) int socketBuffer,
            @ForAll @IntRange(min = 1, max = 10000) int maxChunk, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        java.util.Set<Integer> boundaries = new java.util.HashSet<>();
        int largest = 0;
        for (int size : rowSizes) {
            byte[] row = new byte[size];
            random.nextBytes(row);
            message(wire, 'd', row);
            boundaries.add(wire.size());
            largest = Math.max(largest, 5 + size);
        }
        int copyDataBytes = wire.size();
        message(wire, 'c', new byte[0]);
        SocketInput ours = new SocketInput(new Chunks(wire.toByteArray(), maxChunk, random), socketBuffer);
        VisibleBufferedInputStream input = new VisibleBufferedInputStream(ours, 8192);
        List<Integer> writeEnds = new java.util.ArrayList<>();
        ByteArrayOutputStream target = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                writeEnds.add(size());
            }

            @Override
            public synchronized void write(int b) {
                super.write(b);
                writeEnds.add(size());
            }
        };
        CopyForward forward = new CopyForward(input, ours, target);
        while (forward.forward()) {
            assertThat(forward.midMessage()).isFalse();
        }
        assertThat(target.toByteArray()).isEqualTo(java.util.Arrays.copyOf(wire.toByteArray(), copyDataBytes));
        if (largest <= socketBuffer) {
            assertThat(writeEnds).as("each write to the target ends where a message ends")
                    .allMatch(boundaries::contains);
            assertThat(writeEnds.size()).as("no more writes than messages").isLessThanOrEqualTo(rowSizes.size());
        } else {
            assertThat(writeEnds).as("a message larger than the buffer goes in pieces")
                    .anyMatch(end -> !boundaries.contains(end));
        }
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
