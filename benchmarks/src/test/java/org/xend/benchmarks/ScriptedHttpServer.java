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

/** A loopback HTTP server for tests whose answers are written byte for byte by the test. */
final class ScriptedHttpServer implements AutoCloseable {

    /** Writes the answer to the {@code n}-th request of a connection (from 1); false closes the connection. */
    interface Responder {
        boolean respond(int n, OutputStream out) throws IOException;
    }

    private final ServerSocket listener;
    private final Responder responder;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    ScriptedHttpServer(Responder responder) throws IOException {
        this.responder = responder;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-accept");
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
                Thread t = new Thread(() -> serve(s), "scripted-conn");
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
            for (int n = 1; readRequest(in); n++) {
                requests.incrementAndGet();
                if (!responder.respond(n, out)) {
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

    /** Reads one request (head and Content-Length body); false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return false;
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
        return in.readNBytes(length).length == length;
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
