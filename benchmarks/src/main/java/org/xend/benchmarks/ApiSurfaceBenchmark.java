package org.xend.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmarks of the Xen API surface against a running daemon (run by {@code benchmarks/run-api-surface.sh}):
 *
 * <pre>
 * populate         --count N [--first K] [--clients C]    VM.create N managed, Halted VMs (persisted on disk)
 * get-all-records  --calls N [--warmup-calls W] [--expect-vms K]
 *                                                         time VM.get_all_records over one keep-alive connection
 * event-latency    --changes N [--warmup-changes W] [--gap-ms G]
 *                                                         a client blocks in event.from on vm/&lt;ref&gt; while
 *                                                         another pauses and unpauses that VM
 * </pre>
 * Common options: {@code --port P} (127.0.0.1 only), {@code --password-env VAR} (root's password, default
 * {@code XEND_ROOT_PASSWORD}), {@code --server-pid PID} (server CPU per call), {@code --label L}. The last line
 * printed is machine-readable: {@code RESULT kind=... label=... key=value ...}.
 *
 * <p>Power-state changes are timed from both ends of the changing call: the commit happens between sending the
 * request and reading its reply, so "from the reply" is a lower bound of the delivery latency and "from the send"
 * an upper bound.
 */
public final class ApiSurfaceBenchmark {

    private static final String WATCHED_VM = "bench-events-watched";
    private static final long MIB = 1L << 20;
    private static final double EVENT_FROM_TIMEOUT_SECONDS = 10.0;
    private static final long DELIVERY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    /** What every subcommand needs to reach and log in to the daemon. */
    record Target(InetSocketAddress server, String password, long serverPid, String label, int timeoutMillis) {
        Target {
            if (server.getAddress() == null || !server.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("only loopback servers may be targeted, not " + server);
            }
        }

        XenApiClient connect() throws IOException {
            return new XenApiClient(server, timeoutMillis);
        }

        String login(XenApiClient client, String originator) throws IOException {
            return client.callForString("session.login_with_password", "root", password, "1.0", originator);
        }
    }

    private ApiSurfaceBenchmark() {
    }

    public static void main(String[] args) {
        int exit;
        try {
            exit = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("ApiSurfaceBenchmark: " + e.getMessage());
            System.err.println(usage());
            exit = 64;
        } catch (IOException e) {
            System.err.println("ApiSurfaceBenchmark: " + e.getMessage());
            exit = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = 130;
        }
        // the event watcher may still be blocked in event.from
        System.exit(exit);
    }

    static String usage() {
        return "usage: ApiSurfaceBenchmark populate|get-all-records|event-latency --port P [--password-env VAR]"
                + " [--server-pid PID] [--label L] [--timeout-ms T] [subcommand options]";
    }

    static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        if (args.length == 0) {
            throw new IllegalArgumentException("no subcommand");
        }
        Map<String, String> options = options(args);
        String passwordEnv = options.getOrDefault("--password-env", "XEND_ROOT_PASSWORD");
        String password = System.getenv(passwordEnv);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the environment variable " + passwordEnv + " is not set");
        }
        if (!options.containsKey("--port")) {
            throw new IllegalArgumentException("--port is required");
        }
        Target target = new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(options.get("--port"))), password,
                Long.parseLong(options.getOrDefault("--server-pid", "-1")), options.getOrDefault("--label", args[0]),
                Integer.parseInt(options.getOrDefault("--timeout-ms", "120000")));
        String result = switch (args[0]) {
            case "populate" -> populate(target, positive(options, "--count", null),
                    Integer.parseInt(options.getOrDefault("--first", "1")), positive(options, "--clients", "4"), out);
            case "get-all-records" -> getAllRecords(target, positive(options, "--calls", "50"),
                    Integer.parseInt(options.getOrDefault("--warmup-calls", "5")),
                    Integer.parseInt(options.getOrDefault("--expect-vms", "-1")), out);
            case "event-latency" -> eventLatency(target, positive(options, "--changes", "300"),
                    Integer.parseInt(options.getOrDefault("--warmup-changes", "10")),
                    Integer.parseInt(options.getOrDefault("--gap-ms", "20")), out);
            default -> throw new IllegalArgumentException("unknown subcommand " + args[0]);
        };
        out.println(result);
        return 0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static int positive(Map<String, String> options, String name, String fallback) {
        String v = options.getOrDefault(name, fallback);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return n;
    }

    // ---- populate ----

    /** A PV guest as big as the one of the VM.get_record benchmark (benchmarks/python/prepare_vm.py). */
    static Map<String, Object> vmRecord(String name) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name_label", name);
        r.put("name_description", "PV guest made by the API surface benchmark");
        r.put("user_version", "1");
        r.put("is_a_template", false);
        r.put("memory_static_max", Long.toString(512 * MIB));
        r.put("memory_dynamic_max", Long.toString(512 * MIB));
        r.put("memory_dynamic_min", Long.toString(256 * MIB));
        r.put("memory_static_min", Long.toString(128 * MIB));
        r.put("VCPUs_params", Map.of("weight", "256", "cap", "0"));
        r.put("VCPUs_max", "2");
        r.put("VCPUs_at_startup", "2");
        r.put("actions_after_shutdown", "destroy");
        r.put("actions_after_reboot", "restart");
        r.put("actions_after_crash", "restart");
        r.put("PV_kernel", "/boot/vmlinuz-2.6.18-xenU");
        r.put("PV_ramdisk", "/boot/initrd-2.6.18-xenU.img");
        r.put("PV_args", "root=/dev/xvda1 ro console=hvc0 xencons=tty");
        r.put("platform", Map.of("acpi", "1", "apic", "1", "pae", "1", "nx", "0", "localtime", "0"));
        r.put("other_config", Map.of("owner", "benchmarks", "purpose", "get_all_records load",
                "created_by", "benchmarks/run-api-surface.sh", "environment", "test"));
        return r;
    }

    static String populate(Target target, int count, int first, int clients, PrintStream out)
            throws IOException, InterruptedException {
        String session;
        try (XenApiClient c = target.connect()) {
            session = target.login(c, "bench-populate");
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<LatencyHistogram> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            LatencyHistogram latency = new LatencyHistogram();
            latencies.add(latency);
            Thread thread = new Thread(() -> {
                try (XenApiClient c = target.connect()) {
                    for (int i = next.getAndIncrement(); i < count && failure.get() == null;
                         i = next.getAndIncrement()) {
                        Map<String, Object> record = vmRecord(String.format("bench-vm-%05d", first + i));
                        long t0 = System.nanoTime();
                        c.callForString("VM.create", session, record);
                        latency.record(System.nanoTime() - t0);
                    }
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "populate-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IOException("VM.create failed after " + next.get() + " calls: " + failure.get().getMessage(),
                    failure.get());
        }
        LatencyHistogram all = new LatencyHistogram();
        latencies.forEach(all::add);
        out.printf(Locale.ROOT, "%s: created %,d managed VMs with %d clients in %.1f s (%.0f VMs/s);"
                        + " VM.create p50 %.2f ms, p99 %.2f ms%n", target.label(), all.count(), clients, seconds,
                all.count() / seconds, all.percentile(0.5) / 1e6, all.percentile(0.99) / 1e6);
        return String.format(Locale.ROOT, "RESULT kind=populate label=%s created=%d clients=%d seconds=%.3f"
                        + " per_second=%.1f p50_us=%.1f p99_us=%.1f max_us=%.1f", target.label(), all.count(),
                clients, seconds, all.count() / seconds, all.percentile(0.5) / 1e3, all.percentile(0.99) / 1e3,
                all.max() / 1e3);
    }

    // ---- get_all_records ----

    private static final byte[] VM_RECORD_MARK = "<name>power_state</name>".getBytes(StandardCharsets.US_ASCII);

    static String getAllRecords(Target target, int calls, int warmupCalls, int expectVms, PrintStream out)
            throws IOException {
        try (XenApiClient c = target.connect()) {
            String session = target.login(c, "bench-get-all-records");
            byte[] request = XenApiClient.httpRequest(target.server(),
                    XmlRpcValues.methodCall("VM.get_all_records", session));
            exchangeChecked(c, request);
            int bytes = c.bodyLength();
            int records = count(c.body(), c.bodyStart(), c.bodyStart() + bytes, VM_RECORD_MARK);
            if (expectVms >= 0 && records != expectVms) {
                throw new IOException("VM.get_all_records returned " + records + " VM records, expected "
                        + expectVms);
            }
            for (int i = 0; i < warmupCalls; i++) {
                exchangeChecked(c, request);
            }
            ProcessCpu cpu = target.serverPid() > 0 ? new ProcessCpu(target.serverPid()) : null;
            ProcessCpu.Times before = cpu == null ? null : cpu.times();
            LatencyHistogram latency = new LatencyHistogram();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                exchangeChecked(c, request);
                latency.record(System.nanoTime() - t0);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ProcessCpu.Times used = cpu == null ? null : cpu.times().minus(before);
            double cpuMillis = used == null ? -1 : used.totalNanos() / 1e6 / calls;
            out.printf(Locale.ROOT, "%s: VM.get_all_records with %,d VMs: %,d bytes; p50 %.2f ms, p99 %.2f ms over"
                            + " %d calls (%.1f s); server CPU %.2f ms per call%n", target.label(), records, bytes,
                    latency.percentile(0.5) / 1e6, latency.percentile(0.99) / 1e6, calls, seconds, cpuMillis);
            return String.format(Locale.ROOT, "RESULT kind=get_all_records label=%s vms=%d calls=%d"
                            + " response_bytes=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f"
                            + " server_cpu_ms=%.3f", target.label(), records, calls, bytes,
                    latency.percentile(0.5) / 1e3, latency.percentile(0.9) / 1e3, latency.percentile(0.99) / 1e3,
                    latency.max() / 1e3, latency.mean() / 1e3, cpuMillis);
        }
    }

    private static void exchangeChecked(XenApiClient c, byte[] request) throws IOException {
        int status = c.exchangeRaw(request);
        if (status != 200 || !XenApiSuccess.in(c.body(), c.bodyStart(), c.bodyStart() + c.bodyLength())) {
            String head = new String(c.body(), c.bodyStart(), Math.min(400, c.bodyLength()), StandardCharsets.UTF_8);
            throw new IOException("VM.get_all_records got HTTP " + status + " without a success: " + head);
        }
    }

    static int count(byte[] b, int from, int to, byte[] needle) {
        int n = 0;
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            n++;
            i += needle.length - 1;
        }
        return n;
    }

    // ---- event.from latency ----

    /** One event.from reply seen by the watcher: the VM's power state in its snapshot, and when it arrived. */
    record Delivery(String powerState, long receivedNanos, long call) {
    }

    static String eventLatency(Target target, int changes, int warmupChanges, int gapMillis, PrintStream out)
            throws IOException, InterruptedException {
        try (XenApiClient changer = target.connect(); XenApiClient watcherClient = target.connect()) {
            String session = target.login(changer, "bench-event-changer");
            String watcherSession = target.login(watcherClient, "bench-event-watcher");
            String vm = runningVm(changer, session);
            String subscription = "vm/" + vm;
            Map<String, Object> first = watcherClient.callForStruct("event.from", watcherSession,
                    List.of(subscription), "", 0.0);
            Watcher watcher = new Watcher(watcherClient, watcherSession, subscription, (String) first.get("token"));
            Thread thread = new Thread(watcher, "event-watcher");
            thread.setDaemon(true);
            thread.start();

            LatencyHistogram fromReply = new LatencyHistogram();
            LatencyHistogram fromSend = new LatencyHistogram();
            LatencyHistogram callTime = new LatencyHistogram();
            String state = "Running";
            long batchesBefore = 0;
            for (int i = 0; i < warmupChanges + changes; i++) {
                watcher.awaitBlockedAfter(i == 0 ? 0 : watcher.lastDeliveryCall.get(), DELIVERY_TIMEOUT_NANOS);
                Thread.sleep(gapMillis);
                if (i == warmupChanges) {
                    batchesBefore = watcher.calls.get();
                }
                String wanted = "Running".equals(state) ? "Paused" : "Running";
                long sent = System.nanoTime();
                changer.call("Running".equals(state) ? "VM.pause" : "VM.unpause", session, vm);
                long replied = System.nanoTime();
                Delivery d = watcher.awaitState(wanted, sent, DELIVERY_TIMEOUT_NANOS);
                state = wanted;
                if (i >= warmupChanges) {
                    fromReply.record(d.receivedNanos() - replied);
                    fromSend.record(d.receivedNanos() - sent);
                    callTime.record(replied - sent);
                }
            }
            double callsPerChange = (double) (watcher.calls.get() - batchesBefore) / changes;
            watcher.stop = true;
            if ("Paused".equals(state)) {
                changer.call("VM.unpause", session, vm);
            }
            out.printf(Locale.ROOT, "%s: event.from delivered %d power-state changes: p50 %.2f ms, p99 %.2f ms after"
                            + " the changing call's reply (%.2f / %.2f ms after its send); the call itself p50 %.2f ms%n",
                    target.label(), changes, fromReply.percentile(0.5) / 1e6, fromReply.percentile(0.99) / 1e6,
                    fromSend.percentile(0.5) / 1e6, fromSend.percentile(0.99) / 1e6, callTime.percentile(0.5) / 1e6);
            return String.format(Locale.ROOT, "RESULT kind=event_from label=%s changes=%d gap_ms=%d"
                            + " reply_p50_us=%.1f reply_p90_us=%.1f reply_p99_us=%.1f reply_max_us=%.1f"
                            + " send_p50_us=%.1f send_p99_us=%.1f call_p50_us=%.1f event_from_calls_per_change=%.2f",
                    target.label(), changes, gapMillis, fromReply.percentile(0.5) / 1e3,
                    fromReply.percentile(0.9) / 1e3, fromReply.percentile(0.99) / 1e3, fromReply.max() / 1e3,
                    fromSend.percentile(0.5) / 1e3, fromSend.percentile(0.99) / 1e3, callTime.percentile(0.5) / 1e3,
                    callsPerChange);
        }
    }

    /** The watched VM, created and started on first use, Running on return. */
    private static String runningVm(XenApiClient c, String session) throws IOException {
        Object found = c.call("VM.get_by_name_label", session, WATCHED_VM);
        String vm;
        if (found instanceof List<?> refs && !refs.isEmpty()) {
            vm = String.valueOf(refs.get(0));
        } else {
            Map<String, Object> record = vmRecord(WATCHED_VM);
            record.put("memory_static_max", Long.toString(64 * MIB));
            record.put("memory_dynamic_max", Long.toString(64 * MIB));
            record.put("memory_dynamic_min", Long.toString(64 * MIB));
            record.put("memory_static_min", Long.toString(32 * MIB));
            record.put("VCPUs_max", "1");
            record.put("VCPUs_at_startup", "1");
            vm = c.callForString("VM.create", session, record);
        }
        switch (c.callForString("VM.get_power_state", session, vm)) {
            case "Halted" -> c.call("VM.start", session, vm, false);
            case "Paused" -> c.call("VM.unpause", session, vm);
            case "Running" -> {
                // ready
            }
            default -> throw new IOException("the watched VM " + vm + " is neither Halted, Paused nor Running");
        }
        return vm;
    }

    /** Blocks in event.from on one VM, again and again, and hands over what each reply says. */
    private static final class Watcher implements Runnable {
        private final XenApiClient client;
        private final String session;
        private final String subscription;
        private String token;
        private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        /** event.from calls sent so far; the n-th call is in flight while {@code calls == n}. */
        final AtomicLong calls = new AtomicLong();
        /** The call that delivered the last power state handed over. */
        final AtomicLong lastDeliveryCall = new AtomicLong();
        volatile boolean stop;
        volatile IOException failure;

        Watcher(XenApiClient client, String session, String subscription, String token) {
            this.client = client;
            this.session = session;
            this.subscription = subscription;
            this.token = token;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    long call = calls.incrementAndGet();
                    Map<String, Object> batch = client.callForStruct("event.from", session, List.of(subscription),
                            token, EVENT_FROM_TIMEOUT_SECONDS);
                    long received = System.nanoTime();
                    token = (String) batch.get("token");
                    Object events = batch.get("events");
                    if (events instanceof List<?> list) {
                        for (Object e : list) {
                            if (e instanceof Map<?, ?> event && event.get("snapshot") instanceof Map<?, ?> snapshot) {
                                deliveries.add(new Delivery(String.valueOf(snapshot.get("power_state")), received,
                                        call));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        /** Waits until the watcher has sent a call after call number {@code call}, i.e. is blocked again. */
        void awaitBlockedAfter(long call, long timeoutNanos) throws IOException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (calls.get() <= call) {
                check(deadline);
                LockSupport.parkNanos(50_000);
            }
        }

        /** The first delivery received after {@code since} whose snapshot shows {@code state}. */
        Delivery awaitState(String state, long since, long timeoutNanos) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                check(deadline);
                Delivery d = deliveries.poll(10, TimeUnit.MILLISECONDS);
                if (d != null && d.receivedNanos() >= since && state.equals(d.powerState())) {
                    lastDeliveryCall.set(d.call());
                    return d;
                }
            }
        }

        private void check(long deadline) throws IOException {
            if (failure != null) {
                throw new IOException("the event.from watcher failed: " + failure.getMessage(), failure);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no event.from delivery within " + TimeUnit.NANOSECONDS.toSeconds(
                        DELIVERY_TIMEOUT_NANOS) + " s");
            }
        }
    }
}
