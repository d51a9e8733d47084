package org.xend.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A closed-loop XML-RPC load generator: N client threads, each with one keep-alive HTTP/1.1 connection (TCP with Nagle
 * off, TLS, or a Unix socket), send the same pre-encoded request body again and again for a warm-up and then for a
 * measured window. A response counts when its status is 200 and it carries a Xen API {@code Status: Success};
 * anything else is an error. Optionally reads the server process's CPU time before and after the window, for CPU per
 * request.
 *
 * <pre>
 * java -cp benchmarks/target/classes org.xend.benchmarks.LoadGenerator --port 9363 --request get_record.xml \
 *      --clients 8 --warmup 3 --duration 10 --server-pid 1234 --label daemon
 * </pre>
 * The last line printed is machine-readable: {@code RESULT label=... clients=... rps=... p50_us=... ...}.
 * Only loopback servers can be targeted.
 */
public final class LoadGenerator {

    /**
     * What to run. Durations are bounded by the caller; {@code maxRequests} ends the window early. The transport is
     * TCP to {@code server}, TLS to it when {@code tls} is set, or the Unix socket {@code unixSocket} when that is set
     * ({@code server} then only names the Host header).
     */
    public record Options(InetSocketAddress server, String path, byte[] body, int clients, Duration warmup,
                          Duration duration, long maxRequests, long serverPid, String label, int timeoutMillis,
                          Path unixSocket, SSLContext tls) {

        /** Plain TCP. */
        public Options(InetSocketAddress server, String path, byte[] body, int clients, Duration warmup,
                       Duration duration, long maxRequests, long serverPid, String label, int timeoutMillis) {
            this(server, path, body, clients, warmup, duration, maxRequests, serverPid, label, timeoutMillis, null,
                    null);
        }

        public Options {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(label, "label");
            LoadCommandLine.checkTarget(server, path, warmup, duration, timeoutMillis);
            if (clients < 1 || clients > 1024) {
                throw new IllegalArgumentException("clients must be between 1 and 1024, got " + clients);
            }
            if (maxRequests < 1) {
                throw new IllegalArgumentException("maxRequests must be positive");
            }
            if (unixSocket != null && tls != null) {
                throw new IllegalArgumentException("TLS over the Unix socket is not a transport of the daemon");
            }
        }
    }

    /** What one run measured; CPU times are -1 when unknown. */
    public record Result(String label, int clients, double seconds, LatencyHistogram latency, long errors,
                         long warmupErrors, long reconnects, ProcessCpu.Times serverCpu, long clientCpuNanos,
                         String lastError) {

        public long serverCpuNanos() {
            return serverCpu == null ? -1 : serverCpu.totalNanos();
        }

        public long requests() {
            return latency.count();
        }

        public double requestsPerSecond() {
            return seconds > 0 ? requests() / seconds : 0;
        }

        /** Server CPU per successful request in microseconds, or -1 when not measured. */
        public double serverCpuMicrosPerRequest() {
            return perRequest(serverCpuNanos());
        }

        /** The part of it spent in the kernel (system calls, the loopback TCP stack, scheduling). */
        public double serverSystemCpuMicrosPerRequest() {
            return perRequest(serverCpu == null ? -1 : serverCpu.systemNanos());
        }

        private double perRequest(long nanos) {
            return nanos < 0 || requests() == 0 ? -1 : nanos / 1000.0 / requests();
        }

        public double clientCpuMicrosPerRequest() {
            return perRequest(clientCpuNanos);
        }

        /** The machine-readable summary line. */
        public String resultLine() {
            return String.format(Locale.ROOT,
                    "RESULT label=%s clients=%d seconds=%.3f requests=%d rps=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f"
                            + " max_us=%.1f mean_us=%.1f errors=%d warmup_errors=%d reconnects=%d"
                            + " server_cpu_us=%.2f server_sys_us=%.2f client_cpu_us=%.2f",
                    label, clients, seconds, requests(), requestsPerSecond(), micros(latency.percentile(0.5)),
                    micros(latency.percentile(0.9)), micros(latency.percentile(0.99)), micros(latency.max()),
                    latency.mean() / 1000.0, errors, warmupErrors, reconnects, serverCpuMicrosPerRequest(),
                    serverSystemCpuMicrosPerRequest(), clientCpuMicrosPerRequest());
        }

        /** A line for people. */
        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "%s, %d client(s): %,.0f req/s over %.1f s (%,d requests, %d errors); latency p50 %.1f µs,"
                            + " p99 %.1f µs, max %.1f µs",
                    label, clients, requestsPerSecond(), seconds, requests(), errors, micros(latency.percentile(0.5)),
                    micros(latency.percentile(0.99)), micros(latency.max())));
            if (serverCpu != null) {
                sb.append(String.format(Locale.ROOT, "; server CPU %.1f µs/request (%.1f in the kernel)",
                        serverCpuMicrosPerRequest(), serverSystemCpuMicrosPerRequest()));
            }
            if (clientCpuNanos >= 0) {
                sb.append(String.format(Locale.ROOT, "; load generator CPU %.1f µs/request",
                        clientCpuMicrosPerRequest()));
            }
            if (lastError != null) {
                sb.append("; last error: ").append(lastError);
            }
            return sb.toString();
        }

        private static double micros(long nanos) {
            return nanos / 1000.0;
        }
    }

    /** Thrown when the very first exchange, made before any load, does not succeed. */
    public static final class ProbeFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeFailedException(String message) {
            super(message);
        }
    }

    private static final long POLL_MILLIS = 20;
    private static final long RECONNECT_PAUSE_MILLIS = 10;

    private final Options options;
    private final byte[] request;
    private volatile boolean stop;
    /** The measured window is [windowStart, windowEnd] in System.nanoTime(); both start out "never". */
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private final LongAdder completedInWindow = new LongAdder();

    private LoadGenerator(Options options) {
        this.options = options;
        this.request = httpRequest(options);
    }

    /** Runs the load and returns what it measured; blocks for about warm-up + duration. */
    public static Result run(Options options) throws IOException, InterruptedException, ProbeFailedException {
        return new LoadGenerator(options).execute();
    }

    private Result execute() throws IOException, InterruptedException, ProbeFailedException {
        probe();
        CpuWindow cpu = new CpuWindow(options.serverPid());
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            Client c = new Client();
            Thread t = new Thread(c, "loadgen-client-" + i);
            t.setDaemon(true);
            c.thread = t;
            clients.add(c);
        }
        clients.forEach(c -> c.thread.start());
        long start;
        long finish;
        try {
            Thread.sleep(options.warmup().toMillis());
            cpu.open();
            start = System.nanoTime();
            windowStart = start;
            long planned = start + options.duration().toNanos();
            while (System.nanoTime() < planned && completedInWindow.sum() < options.maxRequests()) {
                long left = TimeUnit.NANOSECONDS.toMillis(planned - System.nanoTime());
                Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, left)));
            }
            finish = System.nanoTime();
            windowEnd = finish;
            cpu.close();
        } finally {
            stop = true;
            for (Client c : clients) {
                c.thread.join(options.timeoutMillis() + 1000L);
            }
        }
        LatencyHistogram all = new LatencyHistogram();
        long errors = 0;
        long warmupErrors = 0;
        long reconnects = 0;
        String lastError = null;
        for (Client c : clients) {
            if (c.thread.isAlive()) {
                errors++;
                lastError = c.thread.getName() + " did not stop within the timeout";
            }
            all.add(c.latency);
            errors += c.errors;
            warmupErrors += c.warmupErrors;
            reconnects += c.reconnects;
            if (c.lastError != null) {
                lastError = c.lastError;
            }
        }
        return new Result(options.label(), options.clients(), (finish - start) / 1e9, all, errors, warmupErrors,
                reconnects, cpu.serverTimes(), cpu.clientNanos(), lastError);
    }

    private KeepAliveConnection open() throws IOException {
        if (options.unixSocket() != null) {
            return KeepAliveConnection.unix(options.unixSocket());
        }
        if (options.tls() != null) {
            return KeepAliveConnection.tls(options.server(), options.tls(), options.timeoutMillis());
        }
        return new KeepAliveConnection(options.server(), options.timeoutMillis());
    }

    /** One exchange before the load, so a wrong request or a dead server is reported plainly. */
    private void probe() throws ProbeFailedException {
        try (KeepAliveConnection c = open()) {
            int status = c.exchange(request);
            if (status != 200 || !XenApiSuccess.in(c.body(), c.bodyStart(), c.bodyStart() + c.bodyLength())) {
                String head = new String(c.body(), c.bodyStart(), Math.min(600, c.bodyLength()), StandardCharsets.UTF_8);
                throw new ProbeFailedException("the first request got HTTP " + status
                        + " without a Xen API success; the response began with: " + head);
            }
        } catch (IOException e) {
            throw new ProbeFailedException("the first request to "
                    + (options.unixSocket() != null ? options.unixSocket() : options.server()) + " failed: " + e);
        }
    }

    private final class Client implements Runnable {
        Thread thread;
        final LatencyHistogram latency = new LatencyHistogram();
        long errors;
        long warmupErrors;
        long reconnects;
        String lastError;
        private KeepAliveConnection connection;

        @Override
        public void run() {
            try {
                while (!stop) {
                    if (connection == null && !connect()) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    boolean ok = exchangeOnce();
                    long t1 = System.nanoTime();
                    if (t0 >= windowStart && t1 <= windowEnd) {
                        if (ok) {
                            latency.record(t1 - t0);
                            completedInWindow.increment();
                        } else {
                            errors++;
                        }
                    } else if (!ok && t0 < windowStart) {
                        warmupErrors++;
                    }
                }
            } finally {
                closeConnection();
            }
        }

        private boolean exchangeOnce() {
            try {
                int status = connection.exchange(request);
                boolean ok = status == 200 && XenApiSuccess.in(connection.body(), connection.bodyStart(),
                        connection.bodyStart() + connection.bodyLength());
                if (!ok) {
                    lastError = status == 200 ? "a response without Status Success" : "HTTP status " + status;
                }
                if (connection.closeRequested()) {
                    closeConnection();
                }
                return ok;
            } catch (IOException e) {
                lastError = e.toString();
                closeConnection();
                return false;
            }
        }

        private boolean connect() {
            try {
                connection = open();
                reconnects++;
                return true;
            } catch (IOException e) {
                lastError = "connect: " + e;
                long now = System.nanoTime();
                if (now < windowStart) {
                    warmupErrors++;
                } else if (now <= windowEnd) {
                    errors++;
                }
                try {
                    Thread.sleep(RECONNECT_PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    stop = true;
                }
                return false;
            }
        }

        private void closeConnection() {
            if (connection != null) {
                KeepAliveConnection.closeQuietly(connection);
                connection = null;
            }
        }
    }

    static byte[] httpRequest(Options o) {
        return KeepAliveConnection.post(o.server(), o.path(), "xend-loadgen", o.body());
    }

    // ---- command line ----

    public static void main(String[] args) {
        LoadCommandLine.exit("LoadGenerator", LoadGenerator::usage, () -> runFromCommandLine(args, System.out));
    }

    static int runFromCommandLine(String[] args, PrintStream out)
            throws IOException, InterruptedException, ProbeFailedException {
        Options options = parse(args);
        Result result = run(options);
        out.println(result.summary());
        out.println(result.resultLine());
        // a run that completed nothing measured nothing; errors alone are reported, not fatal
        return result.requests() > 0 ? 0 : 1;
    }

    static Options parse(String[] args) throws IOException {
        OwnOptions own = new OwnOptions();
        LoadCommandLine common = new LoadCommandLine(args, "server", 10_000, own);
        if (own.unixSocket != null && common.port == -1) {
            common.port = 80;   // only the Host header sees it
        }
        common.requirePort("--port is required (1-65535), unless --unix is given");
        if (own.requestFile == null) {
            throw new IllegalArgumentException("--request is required");
        }
        return new Options(common.server(), common.path, Files.readAllBytes(own.requestFile), common.clients,
                common.warmup(), common.duration(), own.maxRequests, common.serverPid, common.label,
                common.timeoutMillis, own.unixSocket, own.tlsCa == null ? null : trusting(own.tlsCa));
    }

    /** The options only this generator has: what to send, when to stop early, and over which transport. */
    private static final class OwnOptions implements LoadCommandLine.OwnOption {
        Path requestFile;
        long maxRequests = 100_000_000L;
        Path unixSocket;
        Path tlsCa;

        @Override
        public boolean accept(String name, String value) {
            switch (name) {
                case "--request" -> requestFile = Path.of(value);
                case "--max-requests" -> maxRequests = Long.parseLong(value);
                case "--unix" -> unixSocket = Path.of(value);
                case "--tls-ca" -> tlsCa = Path.of(value);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    /** A client TLS context that trusts the certificates of one PEM file (e.g. the daemon's self-signed one). */
    static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalArgumentException("--tls-ca: no certificate in " + pem);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-ca: cannot trust " + pem + ": " + e.getMessage(), e);
        }
    }

    static String usage() {
        return "usage: LoadGenerator --port PORT --request BODY.xml [--host 127.0.0.1] [--path /] [--clients 1]\n"
                + "                     [--warmup 3] [--duration 10] [--max-requests N] [--server-pid PID]\n"
                + "                     [--label NAME] [--timeout-ms 10000] [--unix SOCKET | --tls-ca CERT.pem]\n"
                + "  --unix    HTTP over this Unix socket instead of TCP\n"
                + "  --tls-ca  HTTPS to --host:--port, trusting the certificates in this PEM file";
    }
}
