package org.xend.benchmarks;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One persistent HTTP/1.1 connection (TCP with Nagle off, TLS, or a Unix socket), sending one pre-encoded request at
 * a time and reading the response by its {@code Content-Length}. Only the status code and three headers are looked
 * at, and the body is left in the receive buffer, so a request costs the client almost nothing beyond the system
 * calls (and, over TLS, the record decryption).
 */
final class KeepAliveConnection implements AutoCloseable {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final byte[] CONTENT_LENGTH = ascii("content-length:");
    private static final byte[] CONNECTION = ascii("connection:");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");

    private final Closeable transport;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[32 * 1024];
    /** Unread received bytes are {@code buffer[start, end)}. */
    private int start;
    private int end;
    private int bodyStart;
    private int bodyLength;
    private boolean closeRequested;

    KeepAliveConnection(InetSocketAddress server, int timeoutMillis) throws IOException {
        this(connect(new Socket(), server, timeoutMillis));
    }

    /** HTTPS: the handshake happens here, before any request is timed. */
    static KeepAliveConnection tls(InetSocketAddress server, SSLContext tls, int timeoutMillis) throws IOException {
        SSLSocket socket = (SSLSocket) connect(tls.getSocketFactory().createSocket(), server, timeoutMillis);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new KeepAliveConnection(socket);
    }

    /**
     * HTTP over a Unix socket. A blocking channel has no read timeout: a server that stops answering holds the
     * client thread until the load generator gives up on it.
     */
    static KeepAliveConnection unix(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new KeepAliveConnection(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
    }

    private KeepAliveConnection(Socket socket) throws IOException {
        this(socket, socket.getInputStream(), socket.getOutputStream());
    }

    private KeepAliveConnection(Closeable transport, InputStream in, OutputStream out) {
        this.transport = transport;
        this.in = in;
        this.out = out;
    }

    private static Socket connect(Socket socket, InetSocketAddress server, int timeoutMillis) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(server, timeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends {@code request} (head and body together, in one write) and reads the whole response.
     *
     * @return the HTTP status code; the body is then {@link #body()}[{@link #bodyStart()}, +{@link #bodyLength()})
     * @throws IOException on a broken connection or a response this client cannot frame (no Content-Length)
     */
    int exchange(byte[] request) throws IOException {
        out.write(request);
        int headerEnd = readHead();
        int status = parseStatus(buffer, start, headerEnd);
        long length = -1;
        closeRequested = false;
        int line = indexOfCrlf(buffer, start, headerEnd) + 2;
        while (line < headerEnd) {
            int lineEnd = indexOfCrlf(buffer, line, headerEnd + 2);
            if (startsWithIgnoreCase(buffer, line, lineEnd, CONTENT_LENGTH)) {
                length = parseDecimal(buffer, line + CONTENT_LENGTH.length, lineEnd);
            } else if (startsWithIgnoreCase(buffer, line, lineEnd, CONNECTION)) {
                closeRequested = containsIgnoreCase(buffer, line + CONNECTION.length, lineEnd, CLOSE);
            } else if (startsWithIgnoreCase(buffer, line, lineEnd, TRANSFER_ENCODING)) {
                throw new IOException("chunked or encoded responses are not supported by this load generator");
            }
            line = lineEnd + 2;
        }
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new IOException("response without a usable Content-Length (status " + status + ")");
        }
        start = headerEnd + 4;
        fill((int) length);
        bodyStart = start;
        bodyLength = (int) length;
        start += bodyLength;
        return status;
    }

    byte[] body() {
        return buffer;
    }

    int bodyStart() {
        return bodyStart;
    }

    int bodyLength() {
        return bodyLength;
    }

    /** True when the last response said {@code Connection: close}; the connection must then be replaced. */
    boolean closeRequested() {
        return closeRequested;
    }

    /**
     * A POST of {@code body} to {@code path} on {@code server}, head and body in one array, ready to be sent again
     * and again by {@link #exchange}.
     */
    static byte[] post(InetSocketAddress server, String path, String userAgent, byte[] body) {
        String host = server.getAddress().getHostAddress();
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort() + "\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "Content-Type: text/xml\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n";
        byte[] request = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, request, 0, head.length());
        System.arraycopy(body, 0, request, head.length(), body.length);
        return request;
    }

    /** Closes a connection that is being dropped anyway (after an error, or at the end of a run). */
    static void closeQuietly(KeepAliveConnection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // nothing more can go wrong with a connection nobody will use again
        }
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }

    /** Reads until the end of the response head is buffered; returns the index of its CRLFCRLF. */
    private int readHead() throws IOException {
        int searched = start;
        while (true) {
            int found = indexOf4(buffer, Math.max(start, searched - 3), end);
            if (found >= 0) {
                return found;
            }
            searched = end;
            if (end - start >= MAX_HEADER_BYTES) {
                throw new IOException("response head longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int before = start;
            readMore();
            searched -= before - start;
        }
    }

    /** Makes sure {@code count} bytes from {@code start} are buffered. */
    private void fill(int count) throws IOException {
        while (end - start < count) {
            if (start + count > buffer.length) {
                compact(count);
            }
            read();
        }
    }

    private void readMore() throws IOException {
        if (end == buffer.length) {
            compact(end - start + 1);
        }
        read();
    }

    private void read() throws IOException {
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            throw new EOFException("the server closed the connection");
        }
        end += n;
    }

    /** Moves the unread bytes to the front, growing the buffer to hold at least {@code needed} bytes. */
    private void compact(int needed) {
        int unread = end - start;
        byte[] target = buffer;
        if (needed > buffer.length) {
            target = new byte[Math.max(needed, buffer.length * 2)];
        }
        System.arraycopy(buffer, start, target, 0, unread);
        buffer = target;
        start = 0;
        end = unread;
    }

    static int parseStatus(byte[] b, int from, int to) throws IOException {
        // "HTTP/1.x NNN"
        if (to - from < 12 || b[from] != 'H' || b[from + 1] != 'T' || b[from + 2] != 'T' || b[from + 3] != 'P'
                || b[from + 8] != ' ') {
            throw new IOException("not an HTTP status line: "
                    + new String(b, from, Math.min(40, to - from), StandardCharsets.ISO_8859_1));
        }
        int status = (int) parseDecimal(b, from + 9, from + 12);
        if (status < 100) {
            throw new IOException("bad HTTP status code");
        }
        return status;
    }

    /** A decimal number between optional blanks, or -1. */
    static long parseDecimal(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < to && b[i] >= '0' && b[i] <= '9' && digits < 18) {
            v = v * 10 + (b[i] - '0');
            i++;
            digits++;
        }
        while (i < to && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return digits == 0 || i != to ? -1 : v;
    }

    static boolean startsWithIgnoreCase(byte[] b, int from, int to, byte[] lowerCasePrefix) {
        if (to - from < lowerCasePrefix.length) {
            return false;
        }
        for (int i = 0; i < lowerCasePrefix.length; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCasePrefix[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean containsIgnoreCase(byte[] b, int from, int to, byte[] lowerCaseNeedle) {
        for (int i = from; i + lowerCaseNeedle.length <= to; i++) {
            if (startsWithIgnoreCase(b, i, to, lowerCaseNeedle)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfCrlf(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return to;
    }

    private static int indexOf4(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
