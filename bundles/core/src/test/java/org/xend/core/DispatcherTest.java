package org.xend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xend.api.CallContext;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.MessageImpl;

class DispatcherTest {

    private static final String S = "good-session";
    private static final CallContext CTX = CallContext.of("test", "127.0.0.1");

    private ObjectStoreImpl store;
    private ExecutorService executor;
    private Dispatcher api;
    private String thing;

    @BeforeEach
    void setUp() {
        store = new ObjectStoreImpl(TestModel.build());
        executor = Executors.newCachedThreadPool();
        TaskManager tasks = new TaskManager(store, executor, 3);
        TaskClass taskClass = new TaskClass(tasks);
        ClassImplementation thingImpl = new ClassImplementation() {
            @Override
            public String className() {
                return "thing";
            }

            @Override
            public Map<String, MessageImpl> messages() {
                return Map.of(
                        "poke", call -> {
                            if (!"idle".equals(store.require("thing", call.self()).get("state"))) {
                                throw new XenApiException("VM_BAD_POWER_STATE", call.self(), "idle", "busy");
                            }
                            return (call.boolArg(0) ? 100L : 1L) * (Long) call.arg(1);
                        },
                        "count_all", call -> (long) store.all("thing").size());
            }
        };
        api = new Dispatcher(store, new FakeSessions(), cls -> switch (cls) {
            case "thing" -> thingImpl;
            case "task" -> taskClass;
            default -> null;
        }, tasks);
        thing = (String) value(call("thing.create", S, Map.of("name_label", "one", "count", "42",
                "other_config", Map.of("k", "v"), "unknown_key", "ignored", "state", "busy-ignored")));
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
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

    @Test
    void recordCarriesEveryFieldWithIntsAsStringsAndNoNulls() {
        @SuppressWarnings("unchecked")
        Map<String, Object> rec = (Map<String, Object>) value(call("thing.get_record", S, thing));
        assertEquals(List.of("uuid", "name_label", "count", "ratio", "colour", "tags", "other_config", "parent",
                "state"), new ArrayList<>(rec.keySet()));
        assertEquals("42", rec.get("count"));
        assertEquals(0.0d, rec.get("ratio"));
        assertEquals("red", rec.get("colour"));
        assertEquals(List.of(), rec.get("tags"));
        assertEquals(Map.of("k", "v"), rec.get("other_config"));
        assertEquals("OpaqueRef:NULL", rec.get("parent"));
        assertEquals("idle", rec.get("state"), "RO_run fields are not taken from the constructor record");
        assertEquals(thing, rec.get("uuid"));
        rec.values().forEach(v -> assertTrue(v != null));
    }

    @Test
    void errorsComeInXendOrder() {
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "thing.nope"), error(call("thing.nope", S)));
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "thing.get_record", "2", "3"),
                error(call("thing.get_record", "bad-session", thing, "extra")), "arity is checked before the session");
        assertEquals(List.of("SESSION_INVALID", "bad-session"), error(call("thing.get_record", "bad-session", "x")));
        assertEquals(List.of("HANDLE_INVALID", "thing", "no-such-ref"), error(call("thing.get_record", S, "no-such-ref")));
        assertEquals(List.of("FIELD_TYPE_ERROR", "value"), error(call("thing.set_count", S, thing, "many")));
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "value", "blue", "expected one of red, green"),
                error(call("thing.set_colour", S, thing, "blue")));
        assertEquals(List.of("NOT_IMPLEMENTED", "thing.unimplemented"), error(call("thing.unimplemented", S)));
    }

    @Test
    void optionalTrailingParametersTakeTheirDefaults() {
        assertEquals("100", value(call("thing.poke", S, thing, true)));
        assertEquals("300", value(call("thing.poke", S, thing, true, "3")));
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "thing.poke", "3", "2"), error(call("thing.poke", S, thing)));
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "thing.poke", "4", "5"),
                error(call("thing.poke", S, thing, true, 1, 2)));
    }

    @Test
    void settersAndMapAndSetCalls() {
        assertEquals("", value(call("thing.set_name_label", S, thing, "renamed")));
        assertEquals("renamed", value(call("thing.get_name_label", S, thing)));
        assertEquals("", value(call("thing.add_to_other_config", S, thing, "a", "b")));
        assertEquals(List.of("MAP_DUPLICATE_KEY", "a", "b", "c"), error(call("thing.add_to_other_config", S, thing, "a", "c")));
        assertEquals("", value(call("thing.remove_from_other_config", S, thing, "k")));
        assertEquals("", value(call("thing.remove_from_other_config", S, thing, "not-there")));
        assertEquals(Map.of("a", "b"), value(call("thing.get_other_config", S, thing)));
        value(call("thing.add_tags", S, thing, "x"));
        value(call("thing.add_tags", S, thing, "x"));
        assertEquals(List.of("x"), value(call("thing.get_tags", S, thing)));
        value(call("thing.remove_tags", S, thing, "x"));
        assertEquals(List.of(), value(call("thing.get_tags", S, thing)));
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "thing.set_state"), error(call("thing.set_state", S, thing, "x")),
                "RO fields have no setter");
    }

    @Test
    void lookupsByUuidAndLabel() {
        assertEquals(thing, value(call("thing.get_by_uuid", S, thing)));
        assertEquals(List.of("UUID_INVALID", "thing", "00000000-0000-0000-0000-00000000dead"),
                error(call("thing.get_by_uuid", S, "00000000-0000-0000-0000-00000000dead")));
        assertEquals(List.of(thing), value(call("thing.get_by_name_label", S, "one")));
        assertEquals(List.of(), value(call("thing.get_by_name_label", S, "none")));
        assertEquals(List.of(thing), value(call("thing.get_all", S)));
        assertEquals(1, ((Map<?, ?>) value(call("thing.get_all_records", S))).size());
        assertEquals("", value(call("thing.destroy", S, thing)));
        assertEquals(List.of(), value(call("thing.get_all", S)));
    }

    @Test
    void refArgumentsAreChecked() {
        assertEquals(List.of("HANDLE_INVALID", "thing", "dangling"),
                error(call("thing.create", S, Map.of("name_label", "two", "parent", "dangling"))));
        String child = (String) value(call("thing.create", S, Map.of("name_label", "two", "parent", thing)));
        assertEquals(thing, value(call("thing.get_parent", S, child)));
        String orphan = (String) value(call("thing.create", S, Map.of("name_label", "three", "parent", "")));
        assertEquals("OpaqueRef:NULL", value(call("thing.get_parent", S, orphan)));
    }

    @Test
    void asyncCallsRunAsTasks() throws Exception {
        String task = (String) value(call("Async.thing.poke", S, thing, false, "5"));
        Map<?, ?> rec = waitForTask(task);
        assertEquals("success", rec.get("status"));
        assertEquals("5", rec.get("result"));
        assertEquals(1.0d, rec.get("progress"));
        assertEquals("thing.poke", rec.get("name_label"));
        assertTrue(rec.get("created") instanceof Date && rec.get("finished") instanceof Date);

        store.update("thing", thing, f -> {
            f.put("state", "busy");
            return f;
        });
        Map<?, ?> failed = waitForTask((String) value(call("Async.thing.poke", S, thing, false)));
        assertEquals("failure", failed.get("status"));
        assertEquals(List.of("VM_BAD_POWER_STATE", thing, "idle", "busy"), failed.get("error_info"));

        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "Async.thing.poke", "3", "1"),
                error(call("Async.thing.poke", S)));
        assertEquals(List.of("SESSION_INVALID", "bad"), error(call("Async.thing.get_all", "bad")));

        String records = (String) value(call("Async.thing.get_all", S));
        assertEquals("<value><array><data><value>" + thing + "</value></data></array></value>",
                waitForTask(records).get("result"));

        value(call("task.destroy", S, task));
        assertEquals(List.of("HANDLE_INVALID", "task", task), error(call("task.get_record", S, task)));
    }

    @Test
    void finishedTasksAreBounded() throws Exception {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String t = (String) value(call("Async.thing.count_all", S));
            waitForTask(t);
            tasks.add(t);
        }
        List<?> all = (List<?>) value(call("task.get_all", S));
        assertEquals(3, all.size());
        assertTrue(all.containsAll(tasks.subList(3, 6)), "the newest are kept");
    }

    @Test
    void aFailingPersisterLeavesNothingChanged() {
        store.registerPersister("thing", new ClassPersister() {
            @Override
            public void write(ApiObject before, ApiObject after) throws Exception {
                throw new java.io.IOException("disk full");
            }

            @Override
            public void delete(ApiObject before) {
            }
        });
        long generation = store.generation();
        List<?> err = error(call("thing.set_name_label", S, thing, "lost"));
        assertEquals("INTERNAL_ERROR", err.get(0));
        assertEquals("one", value(call("thing.get_name_label", S, thing)));
        assertEquals(generation, store.generation());
    }

    @Test
    void listMethodsNamesEveryCallAndItsAsyncTwin() {
        List<?> names = (List<?>) value(call("system.listMethods"));
        assertTrue(names.contains("thing.get_record"));
        assertTrue(names.contains("Async.thing.poke"));
        assertFalse(names.contains("Async.Async.thing.poke"));
    }

    private Map<?, ?> waitForTask(String task) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            Map<?, ?> rec = (Map<?, ?>) value(call("task.get_record", S, task));
            if (!"pending".equals(rec.get("status"))) {
                return rec;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("task " + task + " never finished");
    }

    private static final class FakeSessions implements SessionManager {
        @Override
        public SessionInfo login(String user, String password, String originator, CallContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void logout(String sessionRef) {
        }

        @Override
        public SessionInfo check(String sessionRef) {
            if (!S.equals(sessionRef)) {
                throw new XenApiException("SESSION_INVALID", sessionRef);
            }
            return new SessionInfo(S, "root", Role.POOL_ADMIN, true);
        }
    }
}
