package org.xend.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * One Xend daemon run as an external process from a private copy of the Karaf assembly, for end-to-end
 * tests that talk to it the way real clients do (XML-RPC over TCP).
 *
 * <p>{@link #create(String)} copies {@code karaf-distribution/target/assembly} to a fresh directory under
 * {@code itests/target/daemons/} and picks free ports for the Xen API (HTTP and HTTPS), the legacy API, Karaf's
 * ssh and JMX.
 * {@link #start()} runs {@code bin/karaf server} with those ports in its environment and returns once the
 * Xen API port accepts connections; {@link #stop()} sends SIGTERM and waits for the JVM to exit;
 * {@link #restart()} starts it again on the same state directory. {@link #close()} never leaves a JVM
 * behind: whatever does not stop in time is killed, and a JVM shutdown hook kills what a test forgot.
 *
 * <pre>{@code
 * try (DaemonProcess daemon = DaemonProcess.create("login")) {
 *     daemon.start();
 *     // talk to daemon.xenApiUrl(), log in as root with daemon.rootPassword()
 * }
 * }</pre>
 */
public final class DaemonProcess implements AutoCloseable {

    /** Logged by pax-logging when Karaf stops its last bundles: the framework shut down in order. */
    public static final String ORDERLY_STOP_MARKER = "Disabling SLF4J API support";

    private static final Duration START_TIMEOUT =
            Duration.ofSeconds(Long.getLong("xend.itest.startTimeoutSeconds", 180));
    private static final Duration STOP_TIMEOUT =
            Duration.ofSeconds(Long.getLong("xend.itest.stopTimeoutSeconds", 60));
    private static final int LOG_TAIL_LINES = 60;

    /** Runtime state of the assembly that must not be copied: a developer may have run it in place. */
    private static final Set<String> RUNTIME_ENTRIES = Set.of("data", "instances", "karaf.pid", "lock");

    /** Environment that would redirect the daemon elsewhere; replaced by this object's own values. */
    private static final List<String> INHERITED_PREFIXES_DROPPED =
            List.of("XEND_", "KARAF_", "ORG_APACHE_KARAF_", "ORG_XEND_");
    private static final Set<String> INHERITED_NAMES_DROPPED = Set.of("JAVA_OPTS", "EXTRA_JAVA_OPTS");

    private static final String XENAPI_PORT_ENV = "XEND_XENAPI_PORT";
    private static final String XENAPI_TLS_PORT_ENV = "XEND_XENAPI_TLS_PORT";
    private static final String LEGACY_PORT_ENV = "XEND_LEGACY_PORT";
    private static final String SSH_PORT_ENV = "ORG_APACHE_KARAF_SHELL_SSHPORT";

    private static final Set<DaemonProcess> RUNNING = new CopyOnWriteArraySet<>();

    static {
        // lock-free on purpose: the test thread may hold a daemon's monitor while the JVM goes down
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(d -> destroyTree(d.process)),
                "xend-daemon-reaper"));
    }

    private final Path home;
    private final Path stateDir;
    private final int[] ports;
    private final String rootPassword;
    private final Map<String, String> extraEnvironment = new LinkedHashMap<>();

    private volatile Process process;
    private Integer lastExitCode;

    private DaemonProcess(Path home, int[] ports) {
        this.home = home;
        this.stateDir = home.resolve("state");
        this.ports = ports.clone();
        this.rootPassword = "it-" + UUID.randomUUID();
    }

    /**
     * Copies the assembly into a new directory named after {@code name} and allocates the ports.
     * Nothing runs until {@link #start()}.
     */
    public static DaemonProcess create(String name) {
        Path assembly = Path.of(System.getProperty("xend.assembly.dir", "../karaf-distribution/target/assembly"))
                .toAbsolutePath().normalize();
        if (!Files.isExecutable(assembly.resolve("bin/karaf"))) {
            throw new IllegalStateException("no Karaf assembly at " + assembly
                    + "; build it first: mvn -B install -pl karaf-distribution -am -DskipTests");
        }
        Path workDir = Path.of(System.getProperty("xend.itest.work.dir", "target/daemons")).toAbsolutePath();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"));
        Path home = workDir.resolve(name + "-" + stamp);
        try {
            Files.createDirectories(workDir);
            copyAssembly(assembly, home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + assembly + " to " + home, e);
        }
        return new DaemonProcess(home, FreePorts.allocate(6));
    }

    /** Adds or replaces an environment variable for the next start (e.g. XEND_SOCKET_DIR). */
    public DaemonProcess withEnvironment(String name, String value) {
        extraEnvironment.put(name, value);
        return this;
    }

    /** Starts the daemon and waits until the Xen API port accepts connections. */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("daemon in " + home + " is already running");
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> INHERITED_NAMES_DROPPED.contains(key)
                || INHERITED_PREFIXES_DROPPED.stream().anyMatch(key::startsWith));
        env.putAll(environment());
        try {
            lastExitCode = null;
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + home.resolve("bin/karaf"), e);
        }
        RUNNING.add(this);
        try {
            awaitXenApiPort();
        } catch (RuntimeException | Error e) {
            kill();
            throw e;
        }
    }

    /** Sends SIGTERM to the daemon's JVM and waits for it to exit; kills it if it does not stop in time. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            karafPid().filter(pid -> pid != process.pid())
                    .flatMap(ProcessHandle::of)
                    .ifPresent(ProcessHandle::destroy);
            process.destroy(); // SIGTERM: bin/karaf execs the JVM (KARAF_EXEC=exec), so this is the JVM
            if (!waitFor(process, STOP_TIMEOUT)) {
                kill();
                throw new AssertionError("daemon in " + home + " did not stop within " + STOP_TIMEOUT.toSeconds()
                        + " s of SIGTERM and was killed\n" + diagnostics());
            }
        }
        lastExitCode = process.exitValue();
        RUNNING.remove(this);
        process = null;
    }

    /** Stops the daemon if it runs, then starts it again on the same directory, state and ports. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Stops the daemon; on any failure to stop it, kills it. Safe to call more than once. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            kill();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Exit code of the last stopped run: 0 after an orderly stop on SIGTERM. */
    public synchronized Optional<Integer> lastExitCode() {
        return Optional.ofNullable(lastExitCode);
    }

    public Path home() {
        return home;
    }

    public Path stateDir() {
        return stateDir;
    }

    // The port accessors report what the daemon is told, so a port replaced by withEnvironment is the one used.

    public int xenApiPort() {
        return effectivePort(XENAPI_PORT_ENV);
    }

    public int xenApiTlsPort() {
        return effectivePort(XENAPI_TLS_PORT_ENV);
    }

    public int legacyPort() {
        return effectivePort(LEGACY_PORT_ENV);
    }

    public int sshPort() {
        return effectivePort(SSH_PORT_ENV);
    }

    public String xenApiUrl() {
        return "http://127.0.0.1:" + xenApiPort() + "/";
    }

    public String xenApiTlsUrl() {
        return "https://127.0.0.1:" + xenApiTlsPort() + "/";
    }

    public String legacyUrl() {
        return "http://127.0.0.1:" + legacyPort() + "/";
    }

    /** The root password the daemon was given through XEND_ROOT_PASSWORD. */
    public String rootPassword() {
        return rootPassword;
    }

    public Path karafLog() {
        return home.resolve("data/log/karaf.log");
    }

    /** Whatever bin/karaf and the JVM wrote to stdout and stderr, across all runs. */
    public Path consoleLog() {
        return home.resolve("console.log");
    }

    /** The full Karaf log so far, or "" if there is none yet. */
    public String karafLogText() {
        try {
            return Files.isRegularFile(karafLog()) ? Files.readString(karafLog(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment the daemon gets on top of the (cleaned) inherited one. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KARAF_EXEC", "exec");
        env.put("XEND_STATE_DIR", stateDir.toString());
        env.put("XEND_BIND_ADDRESS", "127.0.0.1");
        env.put(XENAPI_PORT_ENV, Integer.toString(ports[0]));
        env.put(XENAPI_TLS_PORT_ENV, Integer.toString(ports[1]));
        env.put(LEGACY_PORT_ENV, Integer.toString(ports[2]));
        env.put("XEND_ROOT_PASSWORD", rootPassword);
        env.put(SSH_PORT_ENV, Integer.toString(ports[3]));
        env.put("ORG_APACHE_KARAF_MANAGEMENT_RMIREGISTRYPORT", Integer.toString(ports[4]));
        env.put("ORG_APACHE_KARAF_MANAGEMENT_RMISERVERPORT", Integer.toString(ports[5]));
        env.putAll(extraEnvironment);
        return env;
    }

    /** The last lines of karaf.log and of the console output, for failure messages. */
    public String diagnostics() {
        return "--- last lines of " + karafLog() + " ---\n" + tail(karafLog(), LOG_TAIL_LINES)
                + "--- last lines of " + consoleLog() + " ---\n" + tail(consoleLog(), 20);
    }

    @Override
    public String toString() {
        return "DaemonProcess[" + home + ", xenapi " + xenApiPort() + "]";
    }

    // ---- internals ----

    private int effectivePort(String envName) {
        String value = environment().get(envName);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(envName + " is not a port number: " + value, e);
        }
    }

    private void awaitXenApiPort() {
        int xenApiPort = xenApiPort();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("daemon in " + home + " exited with code " + process.exitValue()
                        + " before the Xen API port " + xenApiPort + " opened\n" + diagnostics());
            }
            if (accepts(xenApiPort)) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError("the Xen API port " + xenApiPort + " of the daemon in " + home
                + " did not accept connections within " + START_TIMEOUT.toSeconds() + " s; " + dumpThreads()
                + "\n" + diagnostics());
    }

    /** A hung boot is only explained by its threads: saves them next to the logs before the daemon is killed. */
    private String dumpThreads() {
        Path dump = home.resolve("threads-" + System.currentTimeMillis() + ".txt");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(dump.toFile())
                    .start();
            return waitFor(p, Duration.ofSeconds(30)) && p.exitValue() == 0
                    ? "thread dump in " + dump
                    : "jcmd could not dump the threads, see " + dump;
        } catch (IOException e) {
            return "no thread dump (" + e.getMessage() + ")";
        }
    }

    /** Whether something accepts TCP connections on this loopback port. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<Long> karafPid() {
        try {
            Path pidFile = home.resolve("karaf.pid");
            return Files.isRegularFile(pidFile)
                    ? Optional.of(Long.parseLong(Files.readString(pidFile).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL to the daemon and everything it started (a crash, for tests of what survives one); never fails. */
    public synchronized void kill() {
        Process p = process;
        if (p != null) {
            karafPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
            destroyTree(p);
            waitFor(p, Duration.ofSeconds(10));
            if (!p.isAlive()) {
                lastExitCode = p.exitValue();
            }
            process = null;
        }
        RUNNING.remove(this);
    }

    private static void destroyTree(Process p) {
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the daemon", e);
        }
    }

    private static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no " + file.getFileName() + ")\n";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> last = new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
            return String.join("\n", last) + "\n";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    private static void copyAssembly(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (isRuntimeEntry(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!isRuntimeEntry(file)) {
                    // COPY_ATTRIBUTES keeps the executable bits of bin/*
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }

            private boolean isRuntimeEntry(Path path) {
                Path relative = from.relativize(path);
                return relative.getNameCount() == 1 && RUNTIME_ENTRIES.contains(relative.toString());
            }
        });
    }
}
