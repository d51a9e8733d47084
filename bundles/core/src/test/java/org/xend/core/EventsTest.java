package org.xend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xend.api.CallContext;
import org.xend.api.datamodel.Role;
import org.xend.api.model.XenApiModel;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.Refs;
import org.xend.core.event.EventClass;

/** event.from, event.register/next, get_current_id and inject, on the real datamodel, through the dispatcher. */
class EventsTest {

    private static final CallContext CTX = CallContext.of("test", "127.0.0.1");
    private static final String VM = XenApiModel.VM;
    private static final String TOKEN_FORM = "\\d{20},\\d{20}";

    private final ObjectStoreImpl store = new ObjectStoreImpl(XenApiModel.datamodel());
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final FakeSessions sessions = new FakeSessions(store);
    private final String root = sessions.open("root", Role.POOL_ADMIN);
    private final String alice = sessions.open("alice", Role.READ_ONLY);
    private final String bob = sessions.open("bob", Role.READ_ONLY);
    private TaskManager tasks;
    private TaskClass taskClass;
    private EventClass events;
    private Dispatcher api;

    /** Short settle delays keep the tests fast; the queue is small so it can overflow. */
    private void start(long settleMillis, int queueLength) {
        tasks = new TaskManager(store, executor, 200);
        taskClass = new TaskClass(tasks);
        events = new EventClass(store, this::implementation, new EventClass.Settings(settleMillis, settleMillis,
                queueLength, EventClass.DEFAULT_EVENTLESS_CLASSES));
        api = new Dispatcher(store, sessions, this::implementation, tasks);
    }

    /** As XenApiComponent wires them: the dispatcher and the events see the same implementations. */
    private ClassImplementation implementation(String cls) {
        return switch (cls) {
            case "task" -> taskClass;
            case "event" -> events;
            default -> null;
        };
    }

    private void start() {
        start(10, 10_000);
    }

    @AfterEach
    void tearDown() {
        if (events != null) {
            events.close();
            tasks.close();
        }
        executor.shutdownNow();
    }

    // ---- event.from ----

    @Test
    void theEmptyTokenGivesEveryObjectAsAnAdd() {
        start();
        String a = vm("a");
        String b = vm("b");
        Map<?, ?> batch = from(root, List.of("vm"), "", 0);
        List<Map<?, ?>> evs = events(batch);
        assertEquals(2, evs.size());
        Set<Object> refs = new HashSet<>();
        for (Map<?, ?> ev : evs) {
            assertEquals(List.of("id", "timestamp", "class", "operation", "ref", "obj_uuid", "snapshot"),
                    new ArrayList<>(ev.keySet()));
            assertEquals("vm", ev.get("class"), "XAPI names classes in lower case");
            assertEquals("add", ev.get("operation"));
            assertEquals(ev.get("ref"), ev.get("obj_uuid"));
            assertTrue(ev.get("timestamp") instanceof Date);
            Map<?, ?> snapshot = (Map<?, ?>) ev.get("snapshot");
            assertEquals(store.require(VM, (String) ev.get("ref")).get("name_label"), snapshot.get("name_label"));
            assertEquals("Halted", snapshot.get("power_state"), "the snapshot is a whole record");
            assertEquals(Long.toString(store.require(VM, (String) ev.get("ref")).generation()), ev.get("id"));
            refs.add(ev.get("ref"));
        }
        assertEquals(Set.of(a, b), refs);
        assertEquals(Map.of("vm", "2"), batch.get("valid_ref_counts"));
        assertTrue(((String) batch.get("token")).matches(TOKEN_FORM), () -> "token " + batch.get("token"));
    }

    @Test
    void severalChangesToOneObjectComeAsOneModWithTheLatestSnapshot() {
        start();
        String a = vm("a");
        vm("untouched");
        String token = token(from(root, List.of("VM"), "", 0));
        rename(a, "x");
        rename(a, "y");
        rename(a, "z");
        Map<?, ?> batch = from(root, List.of("VM"), token, 5);
        List<Map<?, ?>> evs = events(batch);
        assertEquals(1, evs.size(), () -> "coalesced: " + evs);
        assertEquals("mod", evs.get(0).get("operation"));
        assertEquals("z", ((Map<?, ?>) evs.get(0).get("snapshot")).get("name_label"));
        assertEquals(Long.toString(store.require(VM, a).generation()), evs.get(0).get("id"));
        assertEquals(List.of(), events(from(root, List.of("VM"), token(batch), 0)), "nothing twice");
    }

    @Test
    void anObjectAddedAndChangedSinceTheTokenIsOneAdd() {
        start();
        String token = currentToken();
        String c = vm("c");
        rename(c, "c2");
        List<Map<?, ?>> evs = events(from(root, List.of("vm"), token, 1));
        assertEquals(1, evs.size());
        assertEquals("add", evs.get(0).get("operation"));
        assertEquals("c2", ((Map<?, ?>) evs.get(0).get("snapshot")).get("name_label"));
    }

    @Test
    void aRemovedObjectIsADelWithItsLastSnapshotUnlessItWasAlsoAdded() {
        start();
        String a = vm("a");
        String token = currentToken();
        rename(a, "last words");
        store.remove(VM, a);
        String fleeting = vm("fleeting");
        store.remove(VM, fleeting);
        List<Map<?, ?>> evs = events(from(root, List.of("vm"), token, 1));
        assertEquals(1, evs.size(), () -> "events: " + evs);
        assertEquals("del", evs.get(0).get("operation"));
        assertEquals(a, evs.get(0).get("ref"));
        assertEquals("last words", ((Map<?, ?>) evs.get(0).get("snapshot")).get("name_label"));
    }

    @Test
    void subscriptionsSelectClassesAndSingleObjects() {
        start();
        String a = vm("a");
        String b = vm("b");
        String token = currentToken();
        rename(a, "a2");
        rename(b, "b2");
        assertEquals(List.of(a), refs(from(root, List.of("vm/" + a), token, 1)));
        assertEquals(List.of(b), refs(from(root, List.of("Vm/" + b), token, 1)));
        assertEquals(sorted(a, b), refs(from(root, List.of("vm/" + a, "VM/" + b), token, 1)));
        assertEquals(sorted(a, b), refs(from(root, List.of("*"), token, 1)));
        assertEquals(List.of(), refs(from(root, List.of("task"), token, 0)));
        assertEquals(Map.of("vm", "2"), from(root, List.of("vm/" + a), token, 1).get("valid_ref_counts"));
    }

    @Test
    void starLeavesOutTheDebugClass() {
        start();
        String token = currentToken();
        String vm = vm("seen");
        String debug = Refs.newRef();
        store.create("debug", debug, Map.of());
        assertEquals(List.of(vm), refs(from(root, List.of("*"), token, 1)), "SDKs cannot parse a debug snapshot");
        assertEquals(List.of(debug), refs(from(root, List.of("debug"), token, 1)), "asked for by name, it is there");
    }

    @Test
    void badSubscriptionsAndTokensAreRefused() {
        start();
        vm("a");
        String good = currentToken();
        assertEquals(List.of("EVENT_SUBSCRIPTION_PARSE_FAILURE", "nosuch"),
                error(call("event.from", root, List.of("nosuch"), "", 0.0)));
        assertEquals(List.of("EVENT_SUBSCRIPTION_PARSE_FAILURE", "event"),
                error(call("event.from", root, List.of("event"), "", 0.0)), "events are not objects");
        assertEquals(List.of("EVENT_SUBSCRIPTION_PARSE_FAILURE", "vm/"),
                error(call("event.from", root, List.of("vm/"), "", 0.0)));
        assertEquals(List.of("EVENT_SUBSCRIPTION_PARSE_FAILURE", "nosuch"),
                error(call("event.register", root, List.of("nosuch"))));
        for (String bad : List.of("garbage", "12", "1,x", ",", "-1,2", "99999999999999999999999,1")) {
            assertEquals(List.of("EVENT_FROM_TOKEN_PARSE_FAILURE", bad),
                    error(call("event.from", root, List.of("vm"), bad, 0.0)));
        }
        String epoch = good.substring(good.indexOf(',') + 1);
        String future = String.format("%020d,%s", store.generation() + 1, epoch);
        assertEquals(List.of("EVENT_FROM_TOKEN_PARSE_FAILURE", future),
                error(call("event.from", root, List.of("vm"), future, 0.0)));
        String earlierRun = String.format("%020d,%020d", 1, Long.parseLong(epoch) - 1);
        assertEquals(List.of("EVENTS_LOST"), error(call("event.from", root, List.of("vm"), earlierRun, 0.0)),
                "a token from an earlier run of the daemon cannot be honoured");
    }

    @Test
    void fromReturnsAnEmptyBatchAfterTheTimeoutEvenIfOtherClassesChange() throws Exception {
        start();
        vm("a");
        String token = currentToken();
        Future<?> noise = executor.submit(() -> {
            Thread.sleep(50);
            return tasks.createForClient(root, "unrelated", "");
        });
        long started = System.nanoTime();
        Map<?, ?> batch = from(root, List.of("vm"), token, 0.3);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        noise.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), events(batch));
        assertTrue(elapsedMillis >= 290 && elapsedMillis < 3000, () -> "returned after " + elapsedMillis + " ms");
        assertTrue(token(batch).compareTo(token) >= 0, "the token moves on past unrelated changes");
        assertEquals(List.of(), events(from(root, List.of("vm"), token(batch), 0)));
    }

    @Test
    void aWaitingFromIsWokenByAChange() throws Exception {
        start();
        String a = vm("a");
        String token = currentToken();
        Future<Map<?, ?>> waiting = executor.submit(() -> from(root, List.of("vm"), token, 30));
        Thread.sleep(100);
        long changed = System.nanoTime();
        rename(a, "now");
        Map<?, ?> batch = waiting.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - changed < TimeUnit.SECONDS.toNanos(2));
        assertEquals(List.of(a), refs(batch));
    }

    @Test
    void aBurstOfChangesIsAnsweredAsOneBatch() throws Exception {
        start(300, 10_000);
        String a = vm("a");
        String b = vm("b");
        String token = currentToken();
        Future<Map<?, ?>> waiting = executor.submit(() -> from(root, List.of("vm"), token, 30));
        Thread.sleep(100);
        rename(a, "a2");
        rename(b, "b2");
        rename(a, "a3");
        Map<?, ?> batch = waiting.get(5, TimeUnit.SECONDS);
        assertEquals(sorted(a, b), refs(batch), "both objects in one batch, each once");
    }

    @Test
    void metricsChangeWithoutEventsOfTheirOwn() {
        start();
        String metrics = Refs.newRef();
        store.create(XenApiModel.VM_METRICS, metrics, Map.of());
        assertEquals(List.of(metrics), refs(from(root, List.of("VM_metrics"), "", 0)), "creation is an event");
        String token = currentToken();
        store.update(XenApiModel.VM_METRICS, metrics, f -> {
            f.put("memory_actual", 1024L);
            return f;
        });
        assertEquals(List.of(), events(from(root, List.of("VM_metrics"), token, 0.1)));
        String injected = (String) value(call("event.inject", root, "vm_metrics", metrics));
        List<Map<?, ?>> evs = events(from(root, List.of("VM_metrics"), injected, 1));
        assertEquals(1, evs.size());
        assertEquals("mod", evs.get(0).get("operation"));
        assertEquals("1024", ((Map<?, ?>) evs.get(0).get("snapshot")).get("memory_actual"));
    }

    @Test
    void injectMarksAnObjectModifiedAndReturnsATokenThatSeesIt() {
        start();
        String a = vm("a");
        long before = Long.parseLong((String) value(call("event.get_current_id", root)));
        String token = (String) value(call("event.inject", root, "VM", a));
        long after = Long.parseLong((String) value(call("event.get_current_id", root)));
        assertEquals(before + 1, after);
        assertTrue(token.matches(TOKEN_FORM));
        List<Map<?, ?>> evs = events(from(root, List.of("vm"), token, 1));
        assertEquals(1, evs.size());
        assertEquals("mod", evs.get(0).get("operation"));
        assertEquals(Long.toString(after), evs.get(0).get("id"));
        assertEquals(List.of("HANDLE_INVALID", "VM", "no-such-vm"), error(call("event.inject", root, "VM", "no-such-vm")));
        assertEquals(List.of("HANDLE_INVALID", "nosuch", a), error(call("event.inject", root, "nosuch", a)));
    }

    @Test
    void taskEventsAreForTheTasksSessionAndForAdmins() {
        start();
        String mine = (String) value(call("task.create", alice, "mine", ""));
        String theirs = (String) value(call("task.create", bob, "theirs", ""));
        Map<?, ?> forAlice = from(alice, List.of("task"), "", 0);
        assertEquals(List.of(mine), refs(forAlice));
        assertEquals(Map.of("task", "1"), forAlice.get("valid_ref_counts"));
        Map<?, ?> forRoot = from(root, List.of("task"), "", 0);
        assertEquals(sorted(mine, theirs), refs(forRoot));
        assertEquals(Map.of("task", "2"), forRoot.get("valid_ref_counts"));
        assertEquals(List.of("HANDLE_INVALID", "task", theirs), error(call("event.inject", alice, "task", theirs)));
    }

    @Test
    void fromIsReleasedWhenItsSessionEnds() throws Exception {
        start();
        String token = currentToken();
        Future<Map<String, Object>> waiting = executor.submit(
                () -> call("event.from", alice, List.of("vm"), token, 30.0));
        Thread.sleep(100);
        sessions.close(alice);
        assertEquals(List.of("SESSION_INVALID", alice), error(waiting.get(5, TimeUnit.SECONDS)));
    }

    @Test
    void forgottenDeletionsGiveEventsLost() {
        start();
        store.setDeletionsKept(2);
        String a = vm("a");
        String b = vm("b");
        String c = vm("c");
        String token = currentToken();
        store.remove(VM, a);
        store.remove(VM, b);
        store.remove(VM, c);
        assertEquals(List.of("EVENTS_LOST"), error(call("event.from", root, List.of("vm"), token, 0.0)));
        assertEquals(List.of(), events(from(root, List.of("task"), token, 0)),
                "classes with nothing forgotten are unaffected");
    }

    // ---- event.register / next ----

    @Test
    void nextWithoutRegisterIsRefused() {
        start();
        assertEquals(List.of("SESSION_NOT_REGISTERED", alice), error(call("event.next", alice)));
    }

    @Test
    void nextDeliversTheChangesSinceRegistration() {
        start();
        String a = vm("a");
        String b = vm("b");
        value(call("event.register", alice, List.of("vm")));
        rename(a, "a2");
        List<?> batch = (List<?>) value(call("event.next", alice));
        assertEquals(1, batch.size());
        Map<?, ?> ev = (Map<?, ?>) batch.get(0);
        assertEquals("mod", ev.get("operation"));
        assertEquals("a2", ((Map<?, ?>) ev.get("snapshot")).get("name_label"));

        value(call("event.unregister", alice, List.of("VM")));
        value(call("event.register", alice, List.of("vm/" + b)));
        rename(a, "a3");
        rename(b, "b2");
        batch = (List<?>) value(call("event.next", alice));
        assertEquals(List.of(b), batch.stream().map(e -> ((Map<?, ?>) e).get("ref")).toList());
    }

    @Test
    void registeringForNoClassesRegistersForAll() {
        start();
        value(call("event.register", alice, List.of()));
        String a = vm("a");
        List<?> batch = (List<?>) value(call("event.next", alice));
        assertEquals(List.of(a), batch.stream().map(e -> ((Map<?, ?>) e).get("ref")).toList());
    }

    @Test
    void anOverflowingQueueGivesEventsLostThenStartsAgain() {
        start(10, 3);
        value(call("event.register", alice, List.of("vm")));
        for (int i = 0; i < 4; i++) {
            vm("vm" + i);
        }
        assertEquals(List.of("EVENTS_LOST"), error(call("event.next", alice)));
        String a = vm("after");
        List<?> batch = (List<?>) value(call("event.next", alice));
        assertEquals(List.of(a), batch.stream().map(e -> ((Map<?, ?>) e).get("ref")).toList(),
                "the dropped events are gone, later ones come");
    }

    @Test
    void aWaitingNextIsWokenByAChangeAndReleasedWhenItsSessionEnds() throws Exception {
        start();
        String a = vm("a");
        value(call("event.register", alice, List.of("vm")));
        value(call("event.register", bob, List.of("vm")));
        Future<Map<String, Object>> forAlice = executor.submit(() -> call("event.next", alice));
        Future<Map<String, Object>> forBob = executor.submit(() -> call("event.next", bob));
        Thread.sleep(100);
        rename(a, "a2");
        assertEquals(1, ((List<?>) value(forAlice.get(5, TimeUnit.SECONDS))).size());
        assertEquals(1, ((List<?>) value(forBob.get(5, TimeUnit.SECONDS))).size());

        Future<Map<String, Object>> blocked = executor.submit(() -> call("event.next", alice));
        Thread.sleep(100);
        sessions.close(alice);
        assertEquals(List.of("SESSION_INVALID", alice), error(blocked.get(5, TimeUnit.SECONDS)));
    }

    @Test
    void closingTheEventServiceReleasesBlockedCalls() throws Exception {
        start();
        value(call("event.register", alice, List.of("vm")));
        String token = currentToken();
        Future<Map<String, Object>> next = executor.submit(() -> call("event.next", alice));
        Future<Map<String, Object>> from = executor.submit(() -> call("event.from", bob, List.of("vm"), token, 30.0));
        Thread.sleep(100);
        events.close();
        assertEquals("INTERNAL_ERROR", error(next.get(5, TimeUnit.SECONDS)).get(0));
        assertEquals(List.of(), events((Map<?, ?>) value(from.get(5, TimeUnit.SECONDS))));
    }

    // ---- helpers ----

    private String vm(String name) {
        String ref = Refs.newRef();
        store.create(VM, ref, Map.of("name_label", name));
        return ref;
    }

    private void rename(String vm, String name) {
        store.update(VM, vm, f -> {
            f.put("name_label", name);
            return f;
        });
    }

    private String currentToken() {
        return token(from(root, List.of("*"), "", 0));
    }

    private Map<?, ?> from(String session, List<String> classes, String token, double timeout) {
        return (Map<?, ?>) value(call("event.from", session, classes, token, timeout));
    }

    private static String token(Map<?, ?> batch) {
        return (String) batch.get("token");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> events(Map<?, ?> batch) {
        return (List<Map<?, ?>>) batch.get("events");
    }

    /** The refs of a batch's events, sorted. */
    private static List<String> refs(Map<?, ?> batch) {
        List<String> out = new ArrayList<>();
        for (Map<?, ?> ev : events(batch)) {
            out.add((String) ev.get("ref"));
        }
        out.sort(null);
        return out;
    }

    private static List<String> sorted(String... refs) {
        List<String> out = new ArrayList<>(Arrays.asList(refs));
        out.sort(null);
        return out;
    }

    private Map<String, Object> call(String method, Object... params) {
        return api.call(CTX, method, new ArrayList<>(Arrays.asList(params)));
    }

    private static Object value(Map<String, Object> response) {
        assertEquals("Success", response.get("Status"), () -> "unexpected failure: " + response);
        return response.get("Value");
    }

    private static List<?> error(Map<String, Object> response) {
        assertEquals("Failure", response.get("Status"), () -> "unexpected success: " + response);
        return (List<?>) response.get("ErrorDescription");
    }
}
