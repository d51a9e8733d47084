package org.xend.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A closed-loop lifecycle load generator for the Xen API: N client threads, each with one keep-alive HTTP/1.1
 * connection (TCP with Nagle off, or the daemon's Unix socket) and one session, loop {@code VM.create → VM.start → VM.hard_shutdown → VM.destroy} over
 * VMs of their own, for a warm-up and then a measured window.
 * <ul>
 *   <li>A cycle counts when its four calls succeeded and it began and ended inside the window; cycles per second
 *       are those cycles over the window's length. Each call's latency counts when the call lay inside the window.</li>
 *   <li>A failed call ends its cycle as an error; the client then hard-shuts-down and destroys the VM it created,
 *       so a run leaves nothing behind. VMs it could not remove are reported as {@code leftover_vms}.</li>
 *   <li>Requests are encoded by hand and responses are read only as far as the status and the returned ref, so the
 *       generator's own CPU per cycle stays small next to the daemon's; it is measured and reported.</li>
 * </ul>
 * The password is read from an environment variable, never from the command line. Only loopback servers can be
 * targeted. The last line printed is machine-readable: {@code RESULT label=... clients=... cps=... ...}.
 */
public final class LifecycleLoadGenerator {

    /** The calls of one cycle, in order. */
    public enum Operation {
        CREATE("VM.create", "create"),
        START("VM.start", "start"),
        HARD_SHUTDOWN("VM.hard_shutdown", "hard_shutdown"),
        DESTROY("VM.destroy", "destroy");

        final String method;
        final String key;

        Operation(String method, String key) {
            this.method = method;
            this.key = key;
        }

        /** The name used in RESULT lines. */
        public String key() {
            return key;
        }
    }

    /** What to run: over TCP to {@code server}, or over the Unix socket {@code unixSocket} when that is set. */
    public record Options(InetSocketAddress server, String path, String username, String password, int clients,
                          Duration warmup, Duration duration, long serverPid, String label, int timeoutMillis,
                          long memoryMiB, Path unixSocket) {

        /** Over TCP. */
        public Options(InetSocketAddress server, String path, String username, String password, int clients,
                       Duration warmup, Duration duration, long serverPid, String label, int timeoutMillis,
                       long memoryMiB) {
            this(server, path, username, password, clients, warmup, duration, serverPid, label, timeoutMillis,
                    memoryMiB, null);
        }

        public Options {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(label, "label");
            LoadCommandLine.checkTarget(server, path, warmup, duration, timeoutMillis);
            if (clients < 1 || clients > 256) {
                throw new IllegalArgumentException("clients must be between 1 and 256, got " + clients);
            }
            if (memoryMiB < 1 || memoryMiB > 1 << 20) {
                throw new IllegalArgumentException("memoryMiB must be between 1 and 1048576, got " + memoryMiB);
            }
        }
    }

    /**
     * What one run measured. CPU times are -1 when unknown; {@code totalCycles} counts every completed cycle,
     * warm-up and probe included (for dividing system-call counts taken over the whole run).
     */
    public record Result(String label, int clients, double seconds, long cycles, LatencyHistogram cycleLatency,
                         Map<Operation, LatencyHistogram> calls, long errors, long warmupErrors, long totalCycles,
                         long leftoverVms, ProcessCpu.Times serverCpu, long clientCpuNanos, String lastError) {

        public double cyclesPerSecond() {
            return seconds > 0 ? cycles / seconds : 0;
        }

        /** Server CPU per measured cycle in microseconds, or -1. */
        public double serverCpuMicrosPerCycle() {
            return perCycle(serverCpu == null ? -1 : serverCpu.totalNanos());
        }

        public double serverSystemCpuMicrosPerCycle() {
            return perCycle(serverCpu == null ? -1 : serverCpu.systemNanos());
        }

        public double clientCpuMicrosPerCycle() {
            return perCycle(clientCpuNanos);
        }

        private double perCycle(long nanos) {
            return nanos < 0 || cycles == 0 ? -1 : nanos / 1000.0 / cycles;
        }

        public String resultLine() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "RESULT label=%s clients=%d seconds=%.3f cycles=%d cps=%.1f cycle_p50_us=%.1f cycle_p99_us=%.1f",
                    label, clients, seconds, cycles, cyclesPerSecond(), micros(cycleLatency.percentile(0.5)),
                    micros(cycleLatency.percentile(0.99))));
            StringJoiner ops = new StringJoiner(",");
            for (Operation op : Operation.values()) {
                ops.add(op.key);
            }
            sb.append(" ops=").append(ops);
            for (Operation op : Operation.values()) {
                LatencyHistogram h = calls.get(op);
                sb.append(String.format(Locale.ROOT, " %s_p50_us=%.1f %s_p99_us=%.1f", op.key,
                        micros(h.percentile(0.5)), op.key, micros(h.percentile(0.99))));
            }
            sb.append(String.format(Locale.ROOT,
                    " errors=%d warmup_errors=%d total_cycles=%d leftover_vms=%d server_cpu_us=%.1f"
                            + " server_sys_us=%.1f client_cpu_us=%.1f",
                    errors, warmupErrors, totalCycles, leftoverVms, serverCpuMicrosPerCycle(),
                    serverSystemCpuMicrosPerCycle(), clientCpuMicrosPerCycle()));
            return sb.toString();
        }

        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "%s, %d client(s): %,.1f cycles/s over %.1f s (%,d cycles, %d errors); cycle p50 %.2f ms,"
                            + " p99 %.2f ms; per call p50/p99 in ms:",
                    label, clients, cyclesPerSecond(), seconds, cycles, errors,
                    cycleLatency.percentile(0.5) / 1e6, cycleLatency.percentile(0.99) / 1e6));
            for (Operation op : Operation.values()) {
                LatencyHistogram h = calls.get(op);
                sb.append(String.format(Locale.ROOT, " %s %.2f/%.2f", op.key, h.percentile(0.5) / 1e6,
                        h.percentile(0.99) / 1e6));
            }
            if (serverCpu != null) {
                sb.append(String.format(Locale.ROOT, "; server CPU %.0f µs/cycle (%.0f in the kernel)",
                        serverCpuMicrosPerCycle(), serverSystemCpuMicrosPerCycle()));
            }
            if (clientCpuNanos >= 0) {
                sb.append(String.format(Locale.ROOT, "; load generator CPU %.0f µs/cycle", clientCpuMicrosPerCycle()));
            }
            if (leftoverVms > 0) {
                sb.append("; ").append(leftoverVms).append(" VM(s) left behind");
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

    /** Thrown when logging in or the first cycle, made before any load, does not succeed. */
    public static final class ProbeFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        ProbeFailedException(String message) {
            super(message);
        }
    }

    /** A call that did not succeed: a Xen API failure, an unreadable answer or a broken connection. */
    static final class CallFailedException extends Exception {
        private static final long serialVersionUID = 1L;
        /** The Xen API error code, or null when the call failed for another reason. */
        private final String errorCode;

        CallFailedException(String message) {
            this(message, null);
        }

        CallFailedException(String message, String errorCode) {
            super(message);
            this.errorCode = errorCode;
        }

        String errorCode() {
            return errorCode;
        }
    }

    private final Options options;
    private volatile boolean stop;
    /** The measured window is [windowStart, windowEnd] in System.nanoTime(); both start out "never". */
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    private LifecycleLoadGenerator(Options options) {
        this.options = options;
    }

    /** Runs the load and returns what it measured; blocks for about warm-up + duration. */
    public static Result run(Options options) throws IOException, InterruptedException, ProbeFailedException {
        return new LifecycleLoadGenerator(options).execute();
    }

    private Result execute() throws IOException, InterruptedException, ProbeFailedException {
        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < options.clients(); i++) {
                Client c = new Client(i);
                clients.add(c);
                try {
                    c.login();
                } catch (CallFailedException e) {
                    throw new ProbeFailedException("client " + i + " could not log in: " + e.getMessage());
                }
            }
            if (!clients.get(0).cycle()) {
                throw new ProbeFailedException("the first cycle failed: " + clients.get(0).lastError);
            }
            return measure(clients);
        } finally {
            stop = true;
            for (Client c : clients) {
                c.finish();
            }
        }
    }

    private Result measure(List<Client> clients) throws IOException, InterruptedException {
        CpuWindow cpu = new CpuWindow(options.serverPid());
        for (Client c : clients) {
            c.thread = new Thread(c, "lifecycle-client-" + c.index);
            c.thread.setDaemon(true);
        }
        clients.forEach(c -> c.thread.start());
        // a marker for scripts that profile the server: logins (deliberately slow password hashing) are behind us
        System.err.printf(Locale.ROOT, "load started: %d client(s) logged in, warm-up %d ms, window %d ms%n",
                clients.size(), options.warmup().toMillis(), options.duration().toMillis());
        long start;
        long finish;
        try {
            Thread.sleep(options.warmup().toMillis());
            cpu.open();
            start = System.nanoTime();
            windowStart = start;
            Thread.sleep(options.duration().toMillis());
            finish = System.nanoTime();
            windowEnd = finish;
            cpu.close();
        } finally {
            stop = true;
            // a cycle in flight is completed, so each client may need up to four call timeouts
            for (Client c : clients) {
                c.thread.join(4L * options.timeoutMillis() + 1000L);
            }
        }
        LatencyHistogram cycleLatency = new LatencyHistogram();
        Map<Operation, LatencyHistogram> calls = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
            calls.put(op, new LatencyHistogram());
        }
        long cycles = 0;
        long errors = 0;
        long warmupErrors = 0;
        long totalCycles = 0;
        String lastError = null;
        for (Client c : clients) {
            if (c.thread.isAlive()) {
                errors++;
                lastError = c.thread.getName() + " did not stop within the timeout";
                continue;
            }
            cycleLatency.add(c.cycleLatency);
            for (Operation op : Operation.values()) {
                calls.get(op).add(c.callLatency.get(op));
            }
            cycles += c.cyclesInWindow;
            errors += c.errors;
            warmupErrors += c.warmupErrors;
            totalCycles += c.totalCycles;
            if (c.lastError != null) {
                lastError = c.lastError;
            }
        }
        long leftovers = 0;
        for (Client c : clients) {
            if (!c.thread.isAlive()) {
                leftovers += c.removeLeftovers();
            }
        }
        return new Result(options.label(), options.clients(), (finish - start) / 1e9, cycles, cycleLatency, calls,
                errors, warmupErrors, totalCycles, leftovers,
                cpu.serverTimes(), cpu.clientNanos(), lastError);
    }

    private final class Client implements Runnable {
        final int index;
        Thread thread;
        final LatencyHistogram cycleLatency = new LatencyHistogram();
        final Map<Operation, LatencyHistogram> callLatency = new EnumMap<>(Operation.class);
        long cyclesInWindow;
        long totalCycles;
        long errors;
        long warmupErrors;
        String lastError;
        /** VMs this client created and has not managed to destroy yet. */
        final List<String> leftovers = new ArrayList<>();
        private KeepAliveConnection connection;
        private String session;
        private long sequence;

        Client(int index) {
            this.index = index;
            for (Operation op : Operation.values()) {
                callLatency.put(op, new LatencyHistogram());
            }
        }

        void login() throws CallFailedException {
            session = call(null, "session.login_with_password", options.username(), options.password());
            if (session == null || session.isEmpty()) {
                throw new CallFailedException("session.login_with_password returned no session ref");
            }
        }

        @Override
        public void run() {
            while (!stop) {
                cycle();
            }
        }

        /** One create → start → hard_shutdown → destroy; false if a call failed (the VM is then cleaned up). */
        boolean cycle() {
            long t0 = System.nanoTime();
            String vm = null;
            try {
                String name = "lifebench-" + options.label() + "-c" + index + "-" + (++sequence);
                vm = call(Operation.CREATE, Operation.CREATE.method, session, vmRecord(name, options.memoryMiB()));
                if (vm == null || vm.isEmpty()) {
                    throw new CallFailedException("VM.create returned no VM ref");
                }
                call(Operation.START, Operation.START.method, session, vm, false, false);
                call(Operation.HARD_SHUTDOWN, Operation.HARD_SHUTDOWN.method, session, vm);
                call(Operation.DESTROY, Operation.DESTROY.method, session, vm);
                long t1 = System.nanoTime();
                totalCycles++;
                if (t0 >= windowStart && t1 <= windowEnd) {
                    cyclesInWindow++;
                    cycleLatency.record(t1 - t0);
                }
                return true;
            } catch (CallFailedException e) {
                lastError = e.getMessage();
                if (t0 < windowStart) {
                    warmupErrors++;
                } else {
                    errors++;
                }
                if (vm != null && !remove(vm)) {
                    leftovers.add(vm);
                }
                return false;
            }
        }

        /** Hard-shuts-down (if it runs) and destroys a VM after a failed cycle; true if it is gone. */
        private boolean remove(String vm) {
            try {
                call(null, Operation.HARD_SHUTDOWN.method, session, vm);
            } catch (CallFailedException notRunning) {
                // it may already be halted: destroy decides
            }
            try {
                call(null, Operation.DESTROY.method, session, vm);
                return true;
            } catch (CallFailedException e) {
                return "HANDLE_INVALID".equals(e.errorCode());
            }
        }

        /** A last attempt at the VMs failed cycles left; returns how many remain. */
        int removeLeftovers() {
            leftovers.removeIf(this::remove);
            return leftovers.size();
        }

        void finish() {
            if (thread != null && thread.isAlive()) {
                return; // stuck in a call: its connection is not ours to use
            }
            if (session != null) {
                try {
                    call(null, "session.logout", session);
                } catch (CallFailedException e) {
                    // the run is over; the daemon expires the session on its own
                }
            }
            closeConnection();
        }

        /**
         * Makes one call; records its latency under {@code timedAs} when it lay inside the window (null: never).
         *
         * @return the string Value of the success, or null when the Value is not a string
         */
        String call(Operation timedAs, String method, Object... params) throws CallFailedException {
            byte[] request = httpRequest(options, XenApiWire.methodCall(method, params));
            if (connection == null) {
                try {
                    connection = options.unixSocket() != null ? KeepAliveConnection.unix(options.unixSocket())
                            : new KeepAliveConnection(options.server(), options.timeoutMillis());
                } catch (IOException e) {
                    throw new CallFailedException("connect: " + e);
                }
            }
            long t0 = System.nanoTime();
            int status;
            try {
                status = connection.exchange(request);
            } catch (IOException e) {
                closeConnection();
                throw new CallFailedException(method + ": " + e);
            }
            long t1 = System.nanoTime();
            byte[] b = connection.body();
            int from = connection.bodyStart();
            int to = from + connection.bodyLength();
            boolean ok = status == 200 && XenApiSuccess.in(b, from, to);
            String value = ok ? XenApiWire.stringValue(b, from, to) : null;
            List<String> description = ok || status != 200 ? List.of() : XenApiWire.errorDescription(b, from, to);
            String failure = ok ? null : describeFailure(status, description, b, from, to);
            if (connection.closeRequested()) {
                closeConnection();
            }
            if (!ok) {
                throw new CallFailedException(method + ": " + failure,
                        description.isEmpty() ? null : description.get(0));
            }
            if (timedAs != null && t0 >= windowStart && t1 <= windowEnd) {
                callLatency.get(timedAs).record(t1 - t0);
            }
            return value;
        }

        private void closeConnection() {
            if (connection != null) {
                KeepAliveConnection.closeQuietly(connection);
                connection = null;
            }
        }
    }

    /** The VM record of a cycle: a small PV guest whose exits all destroy it. */
    static Map<String, Object> vmRecord(String name, long memoryMiB) {
        String memory = Long.toString(memoryMiB << 20);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name_label", name);
        r.put("name_description", "created by the lifecycle benchmark");
        r.put("user_version", "1");
        r.put("is_a_template", false);
        r.put("auto_power_on", false);
        r.put("memory_static_max", memory);
        r.put("memory_dynamic_max", memory);
        r.put("memory_dynamic_min", memory);
        r.put("memory_static_min", Long.toString(Math.min(memoryMiB, 16) << 20));
        r.put("VCPUs_params", Map.of());
        r.put("VCPUs_max", "1");
        r.put("VCPUs_at_startup", "1");
        r.put("actions_after_shutdown", "destroy");
        r.put("actions_after_reboot", "destroy");
        r.put("actions_after_crash", "destroy");
        r.put("PV_bootloader", "");
        r.put("PV_kernel", "/boot/vmlinuz-2.6.18-xenU");
        r.put("PV_ramdisk", "");
        r.put("PV_args", "root=/dev/xvda1 ro console=hvc0");
        r.put("PV_bootloader_args", "");
        r.put("HVM_boot_policy", "");
        r.put("HVM_boot_params", Map.of());
        r.put("platform", Map.of());
        r.put("PCI_bus", "");
        r.put("other_config", Map.of("owner", "benchmarks"));
        return r;
    }

    static String describeFailure(int status, List<String> description, byte[] b, int from, int to) {
        if (status != 200) {
            return "HTTP status " + status;
        }
        if (!description.isEmpty()) {
            return String.join(" ", description);
        }
        return "no Status Success in: "
                + new String(b, from, Math.min(300, to - from), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }

    static byte[] httpRequest(Options o, byte[] body) {
        return KeepAliveConnection.post(o.server(), o.path(), "xend-lifecycle-loadgen", body);
    }

    // ---- command line ----

    public static void main(String[] args) {
        LoadCommandLine.exit("LifecycleLoadGenerator", LifecycleLoadGenerator::usage,
                () -> runFromCommandLine(args, System.getenv(), System.out));
    }

    static int runFromCommandLine(String[] args, Map<String, String> env, PrintStream out)
            throws IOException, InterruptedException, ProbeFailedException {
        Result result = run(parse(args, env));
        out.println(result.summary());
        out.println(result.resultLine());
        // a run that completed nothing measured nothing; errors alone are reported, not fatal
        return result.cycles() > 0 ? 0 : 1;
    }

    static Options parse(String[] args, Map<String, String> env) throws IOException {
        OwnOptions own = new OwnOptions();
        LoadCommandLine common = new LoadCommandLine(args, "daemon", 30_000, own);
        if (own.unixSocket != null && common.port == -1) {
            common.port = 80;   // only the Host header sees it
        }
        common.requirePort("--port is required (1-65535), unless --unix is given");
        String password = env.get(own.passwordEnv);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the environment variable " + own.passwordEnv + " holds no password");
        }
        return new Options(common.server(), common.path, own.user, password, common.clients, common.warmup(),
                common.duration(), common.serverPid, common.label, common.timeoutMillis, own.memoryMiB,
                own.unixSocket);
    }

    /** The options only this generator has: whom to log in as, and how big its VMs are. */
    private static final class OwnOptions implements LoadCommandLine.OwnOption {
        String user = "root";
        String passwordEnv = "XEND_ROOT_PASSWORD";
        long memoryMiB = 64;
        Path unixSocket;

        @Override
        public boolean accept(String name, String value) {
            switch (name) {
                case "--user" -> user = value;
                case "--password-env" -> passwordEnv = value;
                case "--memory-mib" -> memoryMiB = Long.parseLong(value);
                case "--unix" -> unixSocket = Path.of(value);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    static String usage() {
        return "usage: LifecycleLoadGenerator (--port PORT [--host 127.0.0.1] | --unix SOCKET) [--path /] [--user root]\n"
                + "           [--password-env XEND_ROOT_PASSWORD] [--clients 1] [--warmup 3] [--duration 10]\n"
                + "           [--server-pid PID] [--label daemon] [--timeout-ms 30000] [--memory-mib 64]\n"
                + "  --unix    HTTP over this Unix socket (the daemon's <socketDir>/xen-api.sock) instead of TCP";
    }
}
