package org.xend.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server for tests, one thread per keep-alive connection, whose answers are written byte for
 * byte by the test (or by a fake server built on it).
 */
final class ScriptedHttpServer implements AutoCloseable {

    /** Writes the answer to the {@code n}-th request of a connection (from 1); false closes the connection. */
    interface Responder {
        boolean respond(int n, OutputStream out) throws IOException;
    }

    /** A {@link Responder} that also sees the request's body. */
    interface BodyResponder {
        boolean respond(int n, byte[] body, OutputStream out) throws IOException;
    }

    private final ServerSocket listener;
    private final BodyResponder responder;
    private final String threadName;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    ScriptedHttpServer(Responder responder) throws IOException {
        this("scripted", (n, body, out) -> responder.respond(n, out));
    }

    /** {@code threadName}: the prefix of the server's thread names. */
    ScriptedHttpServer(String threadName, BodyResponder responder) throws IOException {
        this.responder = responder;
        this.threadName = threadName;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, threadName + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), threadName + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] body;
            for (int n = 1; (body = readRequest(in)) != null; n++) {
                requests.incrementAndGet();
                if (!responder.respond(n, body, out)) {
                    return;
                }
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            sockets.remove(s);
        }
    }

    /** Reads one request (head and Content-Length body) and returns its body; null at the end of the stream. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return body.length == length ? body : null;
    }

    static byte[] response(String headers, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return ("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + b.length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
