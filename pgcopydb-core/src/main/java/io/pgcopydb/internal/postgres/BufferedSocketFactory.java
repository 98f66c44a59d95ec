package io.pgcopydb.internal.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Properties;
import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory}: plain TCP sockets whose input is read in 256 kB gulps. pgjdbc refills its own
 * 8 kB buffer from the socket, one {@code read} system call each; a COPY of a gigabyte then costs over a hundred
 * thousand of them. Behind this buffer ({@link SocketInput}), its refills are memory copies and the kernel is asked
 * once per 256 kB; and a COPY's pump reads that buffer in place.
 * Public, with the one constructor pgjdbc tries first, because pgjdbc instantiates it by name; not API.
 */
public final class BufferedSocketFactory extends SocketFactory {
    static final int BUFFER_BYTES = 256 * 1024;

    /**
     * For pgjdbc, which creates the factory by reflection for each connection, trying a constructor taking the
     * connection's properties first, then one taking a string, then none: with only the last, every connection
     * threw and caught two {@code NoSuchMethodException}s first, each with its stack trace.
     *
     * @param connectionProperties the connection's properties (not needed)
     */
    public BufferedSocketFactory(Properties connectionProperties) {
    }

    @Override
    public Socket createSocket() {
        return new BufferedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** A buffered socket connected to {@code remote}, bound first to {@code local} when given. */
    private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = new BufferedSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }

    /** A socket whose input stream is buffered once, for the socket's life. */
    private static final class BufferedSocket extends Socket {
        private SocketInput input;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new SocketInput(super.getInputStream(), BUFFER_BYTES);
            }
            return input;
        }
    }
}
