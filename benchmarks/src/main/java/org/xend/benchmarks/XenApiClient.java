package org.xend.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A Xen API client over one keep-alive connection, for the benchmark tools: {@link #call} encodes, sends, decodes
 * and unwraps {@code {Status, Value}}; {@link #exchangeRaw} sends and reads without decoding, for timing calls
 * whose replies are too big to be worth parsing on the client. Not thread-safe: one per thread.
 */
final class XenApiClient implements AutoCloseable {

    /** A {@code Status: Failure} reply. */
    static final class XenApiFailure extends IOException {
        private static final long serialVersionUID = 1L;
        private final List<String> errorDescription;

        XenApiFailure(String method, List<String> errorDescription) {
            super(method + " failed: " + errorDescription);
            this.errorDescription = List.copyOf(errorDescription);
        }

        List<String> errorDescription() {
            return errorDescription;
        }
    }

    private final InetSocketAddress server;
    private final KeepAliveConnection connection;

    XenApiClient(InetSocketAddress server, int timeoutMillis) throws IOException {
        this.server = server;
        this.connection = new KeepAliveConnection(server, timeoutMillis);
    }

    /** The {@code Value} of a successful call. */
    Object call(String method, Object... params) throws IOException {
        int status = connection.exchange(httpRequest(server, XmlRpcValues.methodCall(method, params)));
        if (status != 200) {
            throw new IOException(method + " answered HTTP " + status);
        }
        Object response = XmlRpcValues.parseResponse(connection.body(), connection.bodyStart(),
                connection.bodyLength());
        if (!(response instanceof Map<?, ?> reply)) {
            throw new IOException(method + " answered " + response + ", not a {Status, Value} struct");
        }
        if ("Success".equals(reply.get("Status"))) {
            return reply.get("Value");
        }
        Object error = reply.get("ErrorDescription");
        throw new XenApiFailure(method, error instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(error)));
    }

    String callForString(String method, Object... params) throws IOException {
        Object v = call(method, params);
        if (!(v instanceof String s)) {
            throw new IOException(method + " returned " + v + ", not a string");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> callForStruct(String method, Object... params) throws IOException {
        Object v = call(method, params);
        if (!(v instanceof Map)) {
            throw new IOException(method + " returned " + v + ", not a struct");
        }
        return (Map<String, Object>) v;
    }

    /**
     * Sends a pre-built HTTP request and reads the reply without decoding it.
     *
     * @return the HTTP status; the body is then {@link #body()}[{@link #bodyStart()}, +{@link #bodyLength()})
     */
    int exchangeRaw(byte[] request) throws IOException {
        return connection.exchange(request);
    }

    byte[] body() {
        return connection.body();
    }

    int bodyStart() {
        return connection.bodyStart();
    }

    int bodyLength() {
        return connection.bodyLength();
    }

    /** A POST of {@code body} to {@code /}, head and body in one array, as the load generator sends them. */
    static byte[] httpRequest(InetSocketAddress server, byte[] body) {
        return KeepAliveConnection.post(server, "/", "xend-api-surface-bench", body);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
