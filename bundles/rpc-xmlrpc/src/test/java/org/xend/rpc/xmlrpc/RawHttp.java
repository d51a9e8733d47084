package org.xend.rpc.xmlrpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately dumb HTTP/1.1 client, to control exactly what goes on the wire: over TCP, TLS or a Unix socket.
 * Sending and reading may happen on different threads.
 */
final class RawHttp implements AutoCloseable {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The byte pipe under the client. */
    private interface Connection extends AutoCloseable {
        InputStream in();

        OutputStream out();

        void timeout(int millis) throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

    private final Connection connection;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Connection connection) throws IOException {
        this.connection = connection;
        connection.timeout(DEFAULT_TIMEOUT_MILLIS);
        this.in = connection.in();
        this.out = connection.out();
    }

    RawHttp(InetSocketAddress server) throws IOException {
        this(server, null);
    }

    /** @param localAddress the client address to connect from, e.g. 127.0.0.2; null for any */
    RawHttp(InetSocketAddress server, String localAddress) throws IOException {
        this(server, localAddress, 0);
    }

    /** @param receiveBuffer the client's socket receive buffer in bytes; 0 for the system default */
    RawHttp(InetSocketAddress server, String localAddress, int receiveBuffer) throws IOException {
        this(new SocketConnection(connect(new Socket(), server, localAddress, receiveBuffer)));
    }

    /** HTTPS: the handshake happens on the first exchange, trusting what {@code tls} trusts. */
    static RawHttp tls(InetSocketAddress server, SSLContext tls, String localAddress, int receiveBuffer)
            throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        return new RawHttp(new SocketConnection(connect(socket, server, localAddress, receiveBuffer)));
    }

    static RawHttp unix(Path socket, int receiveBuffer) throws IOException {
        return new RawHttp(new UnixConnection(socket, receiveBuffer));
    }

    private static Socket connect(Socket socket, InetSocketAddress server, String localAddress, int receiveBuffer)
            throws IOException {
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.setTcpNoDelay(true);
        socket.connect(server, 5_000);
        return socket;
    }

    static String post(String xml) {
        return post(xml, "");
    }

    static String post(String xml, String extraHeaders) {
        int length = xml.getBytes(StandardCharsets.UTF_8).length;
        return "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n" + extraHeaders
                + "Content-Length: " + length + "\r\n\r\n" + xml;
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    Response exchange(String raw) throws IOException {
        send(raw);
        return read();
    }

    Response read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection within the timeout. */
    boolean closedByServer(int timeoutMillis) throws IOException {
        connection.timeout(timeoutMillis);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset, or TLS torn down
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = buffer.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buffer.write(c);
        }
        return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    private record SocketConnection(Socket socket) implements Connection {
        @Override
        public InputStream in() {
            try {
                return socket.getInputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public OutputStream out() {
            try {
                return socket.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void timeout(int millis) throws IOException {
            socket.setSoTimeout(millis);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A Unix socket with read timeouts (a blocking {@link SocketChannel} has none): non-blocking, with one selector
     * for each direction so that a reader and a writer thread never wait on each other.
     */
    private static final class UnixConnection implements Connection {
        private final SocketChannel channel;
        private final Selector readable;
        private final Selector writable;
        private volatile int timeoutMillis = DEFAULT_TIMEOUT_MILLIS;

        UnixConnection(Path socket, int receiveBuffer) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            readable = Selector.open();
            writable = Selector.open();
            channel.register(readable, SelectionKey.OP_READ);
            channel.register(writable, SelectionKey.OP_WRITE);
        }

        @Override
        public InputStream in() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (true) {
                        int n = channel.read(buffer);
                        if (n != 0) {
                            return n;
                        }
                        if (readable.select(timeoutMillis) == 0) {
                            throw new SocketTimeoutException("no data within " + timeoutMillis + " ms");
                        }
                        readable.selectedKeys().clear();
                    }
                }
            };
        }

        @Override
        public OutputStream out() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        if (channel.write(buffer) == 0) {
                            if (writable.select(timeoutMillis) == 0) {
                                throw new SocketTimeoutException("could not write within " + timeoutMillis + " ms");
                            }
                            writable.selectedKeys().clear();
                        }
                    }
                }
            };
        }

        @Override
        public void timeout(int millis) {
            timeoutMillis = millis;
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                readable.close();
                writable.close();
            }
        }
    }
}
