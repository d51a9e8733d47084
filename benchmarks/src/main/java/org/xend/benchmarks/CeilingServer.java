package org.xend.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The JVM ceiling for the HTTP benchmark: the JDK's built-in {@link HttpServer} on loopback, answering every POST with
 * the same pre-encoded response bytes, never parsing the request. Nagle must be off
 * ({@code sun.net.httpserver.nodelay}): that server writes head and body separately, and with Nagle on every
 * keep-alive exchange waits for a delayed ACK (tens of milliseconds).
 *
 * <pre>
 * java -cp benchmarks/target/classes org.xend.benchmarks.CeilingServer --port 9400 --response get_record.response.xml
 * </pre>
 */
public final class CeilingServer implements AutoCloseable {

    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final int BACKLOG = 256;

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] response;
    private final ThreadLocal<byte[]> drainBuffers = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private CeilingServer(HttpServer server, ExecutorService executor, byte[] response) {
        this.server = server;
        this.executor = executor;
        this.response = response;
    }

    /**
     * Starts serving {@code response} on 127.0.0.1:{@code port} (0 picks a free port) with {@code threads} workers.
     * Sets {@code sun.net.httpserver.nodelay=true} first: the JDK reads it once, when its server classes load.
     */
    public static CeilingServer start(int port, byte[] response, int threads) throws IOException {
        System.setProperty(NODELAY_PROPERTY, "true");
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ceiling-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
        CeilingServer ceiling = new CeilingServer(server, executor, response.clone());
        server.createContext("/", ceiling::answer);
        server.setExecutor(executor);
        server.start();
        return ceiling;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            // The request must be consumed for the connection to be reused, but it is not looked at.
            byte[] drain = drainBuffers.get();
            try (InputStream in = exchange.getRequestBody()) {
                while (in.read(drain) >= 0) {
                    // discard
                }
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        // Before anything touches the JDK's HTTP server classes.
        System.setProperty(NODELAY_PROPERTY, "true");
        int port = 0;
        Path responseFile = null;
        int threads = 8;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--response" -> responseFile = Path.of(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(64);
                }
            }
        }
        if (responseFile == null || args.length % 2 != 0 || threads < 1 || port < 0 || port > 65535) {
            System.err.println("usage: CeilingServer --response RESPONSE.xml [--port 0] [--threads 8]");
            System.exit(64);
        }
        CeilingServer ceiling = start(port, Files.readAllBytes(responseFile), threads);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ceiling.close();
            stopped.countDown();
        }, "ceiling-shutdown"));
        System.out.println("CeilingServer listening on 127.0.0.1:" + ceiling.address().getPort() + " (pid "
                + ProcessHandle.current().pid() + ", " + threads + " threads, nodelay="
                + System.getProperty(NODELAY_PROPERTY) + ")");
        stopped.await();
    }
}
