package org.xend.relocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A relocation server that misbehaves as a test tells it to: one connection, served on its own thread. */
final class FakeDestination implements AutoCloseable {

    /** What the fake does once it has read the offer; the socket's streams are given. */
    @FunctionalInterface
    interface Behaviour {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    private final ServerSocket listener;
    private final Thread thread;
    final List<String> offer = new ArrayList<>();
    private volatile Socket socket;

    FakeDestination(Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket s = listener.accept()) {
                socket = s;
                InputStream in = s.getInputStream();
                String line;
                while (!(line = readLine(in)).isEmpty()) {
                    offer.add(line);
                }
                behaviour.run(in, s.getOutputStream());
            } catch (Exception e) {
                // the source hung up: what the test is about
            }
        }, "fake-destination");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one line byte by byte, so that nothing of the image is taken with it. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        if (b < 0 && line.length() == 0) {
            throw new IOException("end of stream");
        }
        return line.toString();
    }

    /** Reads a whole save image, up to its trailer (its memory is zeros, so the trailer cannot occur before). */
    static long readImage(InputStream in) throws IOException {
        byte[] trailer = "XSIMEND!".getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[64 << 10];
        byte[] tail = new byte[trailer.length];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            int keep = Math.min(n, tail.length);
            System.arraycopy(tail, keep, tail, 0, tail.length - keep);
            System.arraycopy(buffer, n - keep, tail, tail.length - keep, keep);
            if (java.util.Arrays.equals(tail, trailer)) {
                return total;
            }
        }
        throw new IOException("the image ended after " + total + " bytes without its trailer");
    }

    @Override
    public void close() throws Exception {
        listener.close();
        thread.interrupt();
        Socket s = socket;
        if (s != null) {
            s.close();
        }
        thread.join(5_000);
    }
}
