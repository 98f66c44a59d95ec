package io.pgcopydb.testkit.fault;

import io.pgcopydb.testkit.server.PostgresServer;
import io.pgcopydb.testkit.server.TestDatabase;
import io.pgcopydb.testkit.server.TestkitException;
import io.pgcopydb.testkit.server.Urls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a server, for tests of what a client does when the network fails: connect
 * through {@link #port()}, then {@link #cutConnections()} drops every connection at once (as a broken network
 * would) and {@link #refuseConnections()} makes new connections fail until {@link #acceptConnections()}.
 * Thread-safe; {@link #close()} stops it.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket server;
    private volatile boolean closed;
    /** Guarded by this: set by refuseConnections, so a connection accepted meanwhile is dropped, not kept. */
    private boolean refusing;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = server.getLocalPort();
        startAccepting(server);
    }

    /** A proxy on a free loopback port forwarding to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(host, port);
        } catch (IOException e) {
            throw new TestkitException("cannot open a proxy port: " + e.getMessage(), e);
        }
    }

    /** A proxy in front of {@code server}. */
    public static TcpProxy to(PostgresServer server) {
        return to(server.host(), server.port());
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    /** {@code postgres://user@127.0.0.1:<port>/<database>} for {@code db}, through this proxy. */
    public String uri(TestDatabase db) {
        return "postgres://" + Urls.encode(db.server().user()) + "@127.0.0.1:" + port + "/" + Urls.encode(db.name());
    }

    /** Closes every proxied connection, both ends. */
    public synchronized void cutConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Stops listening: new connections are refused (the port stays reserved for {@link #acceptConnections()}). */
    public synchronized void refuseConnections() {
        refusing = true;
        ServerSocket s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed either way
            }
        }
    }

    /** Listens again on the same port after {@link #refuseConnections()}. */
    public synchronized void acceptConnections() {
        if (server != null || closed) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = s;
            refusing = false;
            startAccepting(s);
        } catch (IOException e) {
            throw new TestkitException("cannot listen again on port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        refuseConnections();
        cutConnections();
    }

    private void startAccepting(ServerSocket listening) {
        Thread t = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream;
                    try {
                        upstream = new Socket(targetHost, targetPort);
                    } catch (IOException e) {
                        closeQuietly(client);
                        continue;
                    }
                    synchronized (this) {
                        if (refusing || closed) {
                            // accepted while the proxy started refusing: as if it had been refused
                            closeQuietly(client);
                            closeQuietly(upstream);
                            continue;
                        }
                        sockets.add(client);
                        sockets.add(upstream);
                    }
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    // closed: stop accepting
                }
            }
        }, "tcp-proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // cut
            } catch (IOException e) {
                // broken either way
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pipe-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
