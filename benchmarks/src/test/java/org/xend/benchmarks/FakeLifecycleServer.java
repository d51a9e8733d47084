package org.xend.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
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

    private final ScriptedHttpServer http;
    private final String password;
    private final int failEveryNthStart;
    private final AtomicLong nextRef = new AtomicLong();
    private final AtomicInteger starts = new AtomicInteger();
    final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** VM ref → power state. */
    final Map<String, String> vms = new ConcurrentHashMap<>();
    final Set<String> names = ConcurrentHashMap.newKeySet();
    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger logouts = new AtomicInteger();
    final AtomicInteger connections;
    final AtomicInteger failures = new AtomicInteger();

    FakeLifecycleServer(String password, int failEveryNthStart) throws IOException {
        this.password = password;
        this.failEveryNthStart = failEveryNthStart;
        http = new ScriptedHttpServer("fake-xenapi", (n, body, out) -> {
            byte[] answer = ("<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
                    + answer(new String(body, StandardCharsets.UTF_8))
                    + "</struct></value></param></params></methodResponse>").getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + answer.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(answer);
            return true;
        });
        connections = http.connections;
    }

    InetSocketAddress address() {
        return http.address();
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

    @Override
    public void close() throws IOException {
        http.close();
    }
}
