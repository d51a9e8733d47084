package org.xend.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the closed-loop load generators ({@link LoadGenerator}, {@link LifecycleLoadGenerator}) share outside their
 * loops: the options common to both ({@code --host --port --path --clients --warmup --duration --server-pid --label
 * --timeout-ms}) with their limits, the checks on a target, and the exit codes of their {@code main}.
 */
final class LoadCommandLine {

    /** A tool's own option; false when {@code name} is not one of them. */
    @FunctionalInterface
    interface OwnOption {
        boolean accept(String name, String value);
    }

    /** A tool's command-line run: its exit code, or an exception that {@link #exit} turns into one. */
    @FunctionalInterface
    interface Run {
        int run() throws Exception;
    }

    String host = "127.0.0.1";
    int port = -1;
    String path = "/";
    int clients = 1;
    private double warmupSeconds = 3;
    private double durationSeconds = 10;
    long serverPid = -1;
    String label;
    int timeoutMillis;

    /**
     * Reads {@code --name value} pairs: the common ones here, the rest through {@code own}; checks the label and
     * the warm-up and duration limits.
     */
    LoadCommandLine(String[] args, String defaultLabel, int defaultTimeoutMillis, OwnOption own) {
        label = defaultLabel;
        timeoutMillis = defaultTimeoutMillis;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--path" -> path = value;
                case "--clients" -> clients = Integer.parseInt(value);
                case "--warmup" -> warmupSeconds = Double.parseDouble(value);
                case "--duration" -> durationSeconds = Double.parseDouble(value);
                case "--server-pid" -> serverPid = Long.parseLong(value);
                case "--label" -> label = value;
                case "--timeout-ms" -> timeoutMillis = Integer.parseInt(value);
                default -> {
                    if (!own.accept(name, value)) {
                        throw new IllegalArgumentException("unknown option " + name);
                    }
                }
            }
        }
        if (!label.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--label must be a single word");
        }
        if (warmupSeconds > 600 || durationSeconds > 3600) {
            throw new IllegalArgumentException("warm-up is limited to 600 s and duration to 3600 s");
        }
    }

    /** Refuses a missing or out-of-range {@code --port}, saying {@code message}. */
    void requirePort(String message) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(message);
        }
    }

    InetSocketAddress server() throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    Duration warmup() {
        return Duration.ofMillis(Math.round(warmupSeconds * 1000));
    }

    Duration duration() {
        return Duration.ofMillis(Math.round(durationSeconds * 1000));
    }

    /** The checks every load target passes: a loopback server, an absolute ASCII path, sane times. */
    static void checkTarget(InetSocketAddress server, String path, Duration warmup, Duration duration,
                            int timeoutMillis) {
        if (server.getAddress() == null || !server.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("only loopback servers may be targeted, not " + server);
        }
        if (warmup.isNegative() || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("warm-up must be >= 0 and duration > 0");
        }
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException("timeoutMillis must be positive");
        }
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("path must be an absolute ASCII path without blanks: " + path);
        }
    }

    /**
     * Runs a tool's command line and exits: 64 (with the usage) for bad arguments, 1 for a failed probe or an I/O
     * error, 130 when interrupted, else the run's own code.
     */
    static void exit(String tool, Supplier<String> usage, Run run) {
        System.exit(exitCode(tool, usage, run, System.err));
    }

    static int exitCode(String tool, Supplier<String> usage, Run run, PrintStream err) {
        try {
            return run.run();
        } catch (IllegalArgumentException e) {
            err.println(tool + ": " + e.getMessage());
            err.println(usage.get());
            return 64;
        } catch (IOException e) {
            err.println(tool + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception probeFailed) {
            err.println(tool + ": " + probeFailed.getMessage());
            return 1;
        }
    }
}
