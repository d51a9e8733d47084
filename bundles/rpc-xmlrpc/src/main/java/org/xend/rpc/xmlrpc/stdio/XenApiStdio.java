package org.xend.rpc.xmlrpc.stdio;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/xen-api-stdio}: relays stdin and stdout to the daemon's Unix socket, so that
 * {@code ssh dom0 /path/bin/xen-api-stdio} is a transport for the same HTTP-framed XML-RPC the socket speaks.
 * A client's SSH transport writes HTTP requests to the pipe and reads the responses, exactly as over the socket.
 *
 * <pre>
 *   xen-api-stdio                  relay to &lt;socketDir&gt;/xen-api.sock (the Xen API)
 *   xen-api-stdio --legacy         relay to &lt;socketDir&gt;/xmlrpc.sock (the legacy xm API)
 *   xen-api-stdio --socket PATH    relay to PATH
 * </pre>
 * The socket directory is {@code XEND_SOCKET_DIR} if set, else {@code socketDir} of the installation's
 * {@code etc/org.xend.daemon.cfg} (the installation is the system property {@code xend.home}, set by the script).
 *
 * <p>It ends when the daemon closes the connection, or when stdin ends and every complete request sent has had its
 * complete response. Exit status: 0 after a clean end, 1 when the connection failed half-way, 2 for a usage or
 * configuration error, 3 when the socket cannot be reached. Uses the JDK only, so that it starts fast outside Karaf.
 */
public final class XenApiStdio {

    static final int EXIT_OK = 0;
    static final int EXIT_BROKEN = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_UNREACHABLE = 3;

    static final String XEN_API_SOCKET = "xen-api.sock";
    static final String LEGACY_SOCKET = "xmlrpc.sock";
    static final String DAEMON_CONFIG = "etc/org.xend.daemon.cfg";

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final String USAGE = "usage: xen-api-stdio [--legacy | --socket PATH]\n"
            + "Relays HTTP-framed XML-RPC between stdin/stdout and the Xend daemon's Unix socket.";

    private XenApiStdio() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.getProperty("xend.home"),
                new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), System.err);
        System.exit(status);
    }

    /** The whole program, without touching the process's own streams: for tests. */
    static int run(String[] args, Map<String, String> env, String home, InputStream in, OutputStream out,
                   PrintStream err) {
        Path socket;
        try {
            socket = socketPath(args, env, home == null || home.isBlank() ? null : Path.of(home));
        } catch (UsageException e) {
            err.println("xen-api-stdio: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (socket == null) {
            err.println(USAGE);
            return EXIT_OK;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            err.println("xen-api-stdio: cannot connect to " + socket + ": " + e.getMessage()
                    + " (is the daemon running, with this socket directory, and are you its user?)");
            return EXIT_UNREACHABLE;
        }
        return new Relay(channel, in, out).run(err);
    }

    /**
     * The socket to relay to, or {@code null} for {@code --help}.
     *
     * @throws UsageException for unknown arguments or an unknown socket directory
     */
    static Path socketPath(String[] args, Map<String, String> env, Path home) throws UsageException {
        String name = XEN_API_SOCKET;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--legacy" -> name = LEGACY_SOCKET;
                case "--socket" -> {
                    if (i + 1 == args.length) {
                        throw new UsageException("--socket needs a path\n" + USAGE);
                    }
                    return Path.of(args[i + 1]);
                }
                default -> throw new UsageException("unknown argument '" + args[i] + "'\n" + USAGE);
            }
        }
        return socketDirectory(env, home).resolve(name);
    }

    private static Path socketDirectory(Map<String, String> env, Path home) throws UsageException {
        String fromEnv = env.get("XEND_SOCKET_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv.trim());
        }
        if (home == null) {
            throw new UsageException("no socket directory: set XEND_SOCKET_DIR, or run the installation's "
                    + "bin/xen-api-stdio");
        }
        Path config = home.resolve(DAEMON_CONFIG);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UsageException("cannot read " + config + ": " + e.getMessage());
        }
        String socketDir = properties.getProperty("socketDir", "").trim();
        if (socketDir.isEmpty()) {
            throw new UsageException("the daemon has no Unix sockets: socketDir is empty in " + config
                    + " and XEND_SOCKET_DIR is not set");
        }
        return home.resolve(expand(socketDir, home, env));
    }

    /** Replaces the Karaf placeholders a .cfg file may use for the installation's directories. */
    private static String expand(String value, Path home, Map<String, String> env) throws UsageException {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = switch (matcher.group(1)) {
                case "karaf.home" -> home.toString();
                case "karaf.base" -> env.getOrDefault("KARAF_BASE", home.toString());
                case "karaf.data" -> env.getOrDefault("KARAF_DATA", home.resolve("data").toString());
                case "karaf.etc" -> env.getOrDefault("KARAF_ETC", home.resolve("etc").toString());
                default -> throw new UsageException("socketDir uses ${" + matcher.group(1) + "}, which "
                        + "xen-api-stdio cannot resolve; set XEND_SOCKET_DIR instead");
            };
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * The two pumps: stdin to the socket on its own thread, the socket to stdout on the calling one. Both count the
     * messages they pass, under this object's lock, to tell when the exchange is over.
     */
    static final class Relay {
        private final SocketChannel socket;
        private final InputStream in;
        private final OutputStream out;
        private final HttpMessageCounter requests = new HttpMessageCounter(false);
        private final HttpMessageCounter responses = new HttpMessageCounter(true);
        private boolean inputEnded;
        private boolean finished;
        private volatile IOException upstreamFailure;

        Relay(SocketChannel socket, InputStream in, OutputStream out) {
            this.socket = socket;
            this.in = in;
            this.out = out;
        }

        int run(PrintStream err) {
            Thread upstream = new Thread(this::pumpInput, "xen-api-stdio-in");
            upstream.setDaemon(true);
            upstream.start();
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            int status = EXIT_OK;
            try {
                while (socket.read(buffer) >= 0) {
                    out.write(buffer.array(), 0, buffer.position());
                    out.flush();
                    synchronized (this) {
                        responses.feed(buffer.array(), 0, buffer.position());
                        if (exchangeOver()) {
                            break;
                        }
                    }
                    buffer.clear();
                }
            } catch (ClosedChannelException e) {
                // closed by the input pump: stdin ended and every answer is out
            } catch (IOException e) {
                err.println("xen-api-stdio: the connection failed: " + e.getMessage());
                status = EXIT_BROKEN;
            } finally {
                closeSocket();
            }
            IOException failure = upstreamFailure;
            if (status == EXIT_OK && failure != null) {
                err.println("xen-api-stdio: cannot forward the input: " + failure.getMessage());
                status = EXIT_BROKEN;
            }
            return status;
        }

        private void pumpInput() {
            byte[] bytes = new byte[BUFFER_BYTES];
            try {
                for (int n = in.read(bytes); n >= 0; n = in.read(bytes)) {
                    synchronized (this) {
                        if (finished) {
                            return;
                        }
                        requests.feed(bytes, 0, n);
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
                    while (buffer.hasRemaining()) {
                        socket.write(buffer);
                    }
                }
            } catch (ClosedChannelException e) {
                return;   // the daemon closed the connection; the other pump ends the relay
            } catch (IOException e) {
                upstreamFailure = e;
            }
            synchronized (this) {
                inputEnded = true;
                if (exchangeOver()) {
                    closeSocket();
                }
            }
        }

        /** Whether stdin ended and every request it carried has been answered in full. Under the lock. */
        private boolean exchangeOver() {
            if (inputEnded && requests.framed() && responses.framed() && requests.atMessageBoundary()
                    && responses.atMessageBoundary() && responses.completed() >= requests.completed()) {
                finished = true;
            }
            return finished;
        }

        private void closeSocket() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to tell anyone
            }
        }
    }
}
