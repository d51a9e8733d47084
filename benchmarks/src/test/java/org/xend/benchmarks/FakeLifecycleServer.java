package org.xend.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback Xen API server for tests of the lifecycle load generator: sessions, and VMs that go
 * Halted → Running → Halted → gone, with the power-state checks of the real daemon. Any call out of order gets a
 * failure, so a generator that gets no errors called in order. {@code VM.start} can be told to fail every n-th time.
 */
final class FakeLifecycleServer implements AutoCloseable {

    private static final Pattern METHOD = Pattern.compile("<methodName>([^<]*)</methodName>");
    private static final Pattern STRING_PARAM = Pattern.compile("<param><value><string>([^<]*)</string></value>");
    private static final Pattern NAME_LABEL =
            Pattern.compile("<name>name_label</name><value><string>([^<]*)</string></value>");

    private final ServerSocket listener;
    private final String password;
    private final int failEveryNthStart;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextRef = new AtomicLong();
    private final AtomicInteger starts = new AtomicInteger();
    final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** VM ref → power state. */
    final Map<String, String> vms = new ConcurrentHashMap<>();
    final Set<String> names = ConcurrentHashMap.newKeySet();
    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger logouts = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    FakeLifecycleServer(String password, int failEveryNthStart) throws IOException {
        this.password = password;
        this.failEveryNthStart = failEveryNthStart;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-xenapi-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "fake-xenapi-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String body;
            while ((body = readRequest(in)) != null) {
                byte[] answer = ("<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
                        + answer(body) + "</struct></value></param></params></methodResponse>")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + answer.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            sockets.remove(s);
        }
    }

    private String answer(String body) {
        Matcher m = METHOD.matcher(body);
        if (!m.find()) {
            return failure("MESSAGE_METHOD_UNKNOWN", "");
        }
        String method = m.group(1);
        List<String> args = new ArrayList<>();
        Matcher p = STRING_PARAM.matcher(body);
        while (p.find()) {
            args.add(p.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        if (method.equals("session.login_with_password")) {
            if (args.size() != 2 || !args.get(1).equals(password)) {
                return failure("SESSION_AUTHENTICATION_FAILED", args.isEmpty() ? "" : args.get(0));
            }
            String session = "session-" + nextRef.incrementAndGet();
            sessions.put(session, args.get(0));
            logins.incrementAndGet();
            return success(session);
        }
        if (args.isEmpty() || !sessions.containsKey(args.get(0))) {
            return failure("SESSION_INVALID", args.isEmpty() ? "" : args.get(0));
        }
        if (method.equals("session.logout")) {
            sessions.remove(args.get(0));
            logouts.incrementAndGet();
            return success("");
        }
        if (method.equals("VM.create")) {
            Matcher name = NAME_LABEL.matcher(body);
            if (!name.find()) {
                return failure("FIELD_TYPE_ERROR", "name_label");
            }
            if (!names.add(name.group(1))) {
                return failure("VM_NAME_NOT_UNIQUE", name.group(1));
            }
            String vm = "vm-" + nextRef.incrementAndGet();
            vms.put(vm, "Halted");
            return success(vm);
        }
        String vm = args.size() > 1 ? args.get(1) : "";
        String state = vms.get(vm);
        if (state == null) {
            return failure("HANDLE_INVALID", "VM " + vm);
        }
        return switch (method) {
            case "VM.start" -> {
                if (failEveryNthStart > 0 && starts.incrementAndGet() % failEveryNthStart == 0) {
                    yield failure("HOST_NOT_ENOUGH_FREE_MEMORY", "67108864 0");
                }
                yield transition(vm, "Halted", "Running");
            }
            case "VM.hard_shutdown" -> transition(vm, "Running", "Halted");
            case "VM.destroy" -> {
                if (!"Halted".equals(state)) {
                    yield badPowerState(vm, "Halted", state);
                }
                vms.remove(vm);
                yield success("");
            }
            default -> failure("MESSAGE_METHOD_UNKNOWN", method);
        };
    }

    private String transition(String vm, String from, String to) {
        if (!vms.replace(vm, from, to)) {
            return badPowerState(vm, from, vms.get(vm));
        }
        return success("");
    }

    private String badPowerState(String vm, String expected, String actual) {
        return failure("VM_BAD_POWER_STATE", vm + " " + expected.toLowerCase(Locale.ROOT) + " "
                + String.valueOf(actual).toLowerCase(Locale.ROOT));
    }

    private static String success(String value) {
        return "<member><name>Status</name><value>Success</value></member>"
                + "<member><name>Value</name><value>" + value + "</value></member>";
    }

    private String failure(String code, String params) {
        failures.incrementAndGet();
        StringBuilder sb = new StringBuilder("<member><name>Status</name><value>Failure</value></member>"
                + "<member><name>ErrorDescription</name><value><array><data><value>" + code + "</value>");
        for (String p : params.isEmpty() ? new String[0] : params.split(" ")) {
            sb.append("<value>").append(p).append("</value>");
        }
        return sb.append("</data></array></value></member>").toString();
    }

    /** Reads one request and returns its body; null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return body.length == length ? new String(body, StandardCharsets.UTF_8) : null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
