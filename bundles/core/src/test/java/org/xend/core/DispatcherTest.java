package org.xend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xend.api.CallContext;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.MessageImpl;

class DispatcherTest {

    private static final CallContext CTX = CallContext.of("test", "127.0.0.1");

    private ObjectStoreImpl store;
    private ExecutorService executor;
    private FakeSessions sessions;
    private TaskManager tasks;
    private Dispatcher api;
    /** An admin's session and two read-only users' sessions. */
    private String root;
    private String alice;
    private String bob;
    private String thing;
    private final CountDownLatch waitStarted = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        store = new ObjectStoreImpl(TestModel.build());
        executor = Executors.newCachedThreadPool();
        sessions = new FakeSessions(store);
        root = sessions.open("root", Role.POOL_ADMIN);
        alice = sessions.open("alice", Role.READ_ONLY);
        bob = sessions.open("bob", Role.READ_ONLY);
        tasks = new TaskManager(store, executor, 3);
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
                        "count_all", call -> (long) store.all("thing").size(),
                        "wait", call -> {
                            waitStarted.countDown();
                            while (true) {
                                call.checkCancelled();
                                Thread.sleep(2);
                            }
                        });
            }

            /** Things labelled "secret" are for admins only; other callers are refused, not misled. */
            @Override
            public void checkRead(Call call, ApiObject object) {
                if ("secret".equals(object.get("name_label")) && call.role() != Role.POOL_ADMIN) {
                    throw new XenApiException("PERMISSION_DENIED");
                }
            }
        };
        api = new Dispatcher(store, sessions, cls -> switch (cls) {
            case "thing" -> thingImpl;
            case "task" -> taskClass;
            default -> null;
        }, tasks);
        thing = (String) value(call("thing.create", root, Map.of("name_label", "one", "count", "42",
                "other_config", Map.of("k", "v"), "unknown_key", "ignored", "state", "busy-ignored")));
    }

    @AfterEach
    void tearDown() {
        tasks.close();
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
        Map<String, Object> rec = (Map<String, Object>) value(call("thing.get_record", root, thing));
        assertEquals(List.of("uuid", "name_label", "count", "ratio", "colour", "tags", "other_config", "parent",
                "state", "enabled", "born"), new ArrayList<>(rec.keySet()));
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
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "thing.nope"), error(call("thing.nope", root)));
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "thing.get_record", "2", "3"),
                error(call("thing.get_record", "bad-session", thing, "extra")), "arity is checked before the session");
        assertEquals(List.of("SESSION_INVALID", "bad-session"), error(call("thing.get_record", "bad-session", "x")));
        assertEquals(List.of("HANDLE_INVALID", "thing", "no-such-ref"), error(call("thing.get_record", root, "no-such-ref")));
        assertEquals(List.of("FIELD_TYPE_ERROR", "value"), error(call("thing.set_count", root, thing, "many")));
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "value", "blue", "expected one of red, green"),
                error(call("thing.set_colour", root, thing, "blue")));
        assertEquals(List.of("NOT_IMPLEMENTED", "thing.unimplemented"), error(call("thing.unimplemented", root)));
    }

    @Test
    void optionalTrailingParametersTakeTheirDefaults() {
        assertEquals("100", value(call("thing.poke", root, thing, true)));
        assertEquals("300", value(call("thing.poke", root, thing, true, "3")));
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "thing.poke", "3", "2"), error(call("thing.poke", root, thing)));
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "thing.poke", "4", "5"),
                error(call("thing.poke", root, thing, true, 1, 2)));
    }

    @Test
    void settersAndMapAndSetCalls() {
        assertEquals("", value(call("thing.set_name_label", root, thing, "renamed")));
        assertEquals("renamed", value(call("thing.get_name_label", root, thing)));
        assertEquals("", value(call("thing.add_to_other_config", root, thing, "a", "b")));
        assertEquals(List.of("MAP_DUPLICATE_KEY", "a", "b", "c"), error(call("thing.add_to_other_config", root, thing, "a", "c")));
        assertEquals("", value(call("thing.remove_from_other_config", root, thing, "k")));
        assertEquals("", value(call("thing.remove_from_other_config", root, thing, "not-there")));
        assertEquals(Map.of("a", "b"), value(call("thing.get_other_config", root, thing)));
        value(call("thing.add_tags", root, thing, "x"));
        value(call("thing.add_tags", root, thing, "x"));
        assertEquals(List.of("x"), value(call("thing.get_tags", root, thing)));
        value(call("thing.remove_tags", root, thing, "x"));
        assertEquals(List.of(), value(call("thing.get_tags", root, thing)));
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "thing.set_state"), error(call("thing.set_state", root, thing, "x")),
                "RO fields have no setter");
    }

    @Test
    void lookupsByUuidAndLabel() {
        assertEquals(thing, value(call("thing.get_by_uuid", root, thing)));
        assertEquals(List.of("UUID_INVALID", "thing", "00000000-0000-0000-0000-00000000dead"),
                error(call("thing.get_by_uuid", root, "00000000-0000-0000-0000-00000000dead")));
        assertEquals(List.of(thing), value(call("thing.get_by_name_label", root, "one")));
        assertEquals(List.of(), value(call("thing.get_by_name_label", root, "none")));
        assertEquals(List.of(thing), value(call("thing.get_all", root)));
        assertEquals(1, ((Map<?, ?>) value(call("thing.get_all_records", root))).size());
        assertEquals("", value(call("thing.destroy", root, thing)));
        assertEquals(List.of(), value(call("thing.get_all", root)));
    }

    @Test
    void refArgumentsAreChecked() {
        assertEquals(List.of("HANDLE_INVALID", "thing", "dangling"),
                error(call("thing.create", root, Map.of("name_label", "two", "parent", "dangling"))));
        String child = (String) value(call("thing.create", root, Map.of("name_label", "two", "parent", thing)));
        assertEquals(thing, value(call("thing.get_parent", root, child)));
        String orphan = (String) value(call("thing.create", root, Map.of("name_label", "three", "parent", "")));
        assertEquals("OpaqueRef:NULL", value(call("thing.get_parent", root, orphan)));
    }

    @Test
    void asyncCallsRunAsTasks() throws Exception {
        String task = (String) value(call("Async.thing.poke", root, thing, false, "5"));
        Map<?, ?> rec = waitForTask(task);
        assertEquals("success", rec.get("status"));
        assertEquals("<value>5</value>", rec.get("result"));
        assertEquals(1.0d, rec.get("progress"));
        assertEquals("thing.poke", rec.get("name_label"));
        assertTrue(rec.get("created") instanceof Date && rec.get("finished") instanceof Date);

        store.update("thing", thing, f -> {
            f.put("state", "busy");
            return f;
        });
        Map<?, ?> failed = waitForTask((String) value(call("Async.thing.poke", root, thing, false)));
        assertEquals("failure", failed.get("status"));
        assertEquals(List.of("VM_BAD_POWER_STATE", thing, "idle", "busy"), failed.get("error_info"));

        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "Async.thing.poke", "3", "1"),
                error(call("Async.thing.poke", root)));
        assertEquals(List.of("SESSION_INVALID", "bad"), error(call("Async.thing.get_all", "bad")));

        String records = (String) value(call("Async.thing.get_all", root));
        assertEquals("<value><array><data><value>" + thing + "</value></data></array></value>",
                waitForTask(records).get("result"));

        value(call("task.destroy", root, task));
        assertEquals(List.of("HANDLE_INVALID", "task", task), error(call("task.get_record", root, task)));
    }

    @Test
    void finishedTasksAreBounded() throws Exception {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String t = (String) value(call("Async.thing.count_all", root));
            waitForTask(t);
            tasks.add(t);
        }
        List<?> all = (List<?>) value(call("task.get_all", root));
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
        List<?> err = error(call("thing.set_name_label", root, thing, "lost"));
        assertEquals("INTERNAL_ERROR", err.get(0));
        assertEquals("one", value(call("thing.get_name_label", root, thing)));
        assertEquals(generation, store.generation());
    }

    @Test
    void listMethodsNamesEveryCallAndItsAsyncTwin() {
        List<?> names = (List<?>) value(call("system.listMethods"));
        assertTrue(names.contains("thing.get_record"));
        assertTrue(names.contains("Async.thing.poke"));
        assertFalse(names.contains("Async.Async.thing.poke"));
    }

    // ---- tasks ----

    @Test
    void aTaskIsVisibleOnlyToItsSessionUnlessTheCallerIsAnAdmin() {
        String task = (String) value(call("task.create", alice, "backup", "nightly backup"));
        Map<?, ?> rec = (Map<?, ?>) value(call("task.get_record", alice, task));
        assertEquals("pending", rec.get("status"));
        assertEquals("backup", rec.get("name_label"));
        assertEquals(alice, rec.get("session"));
        assertEquals(List.of(), rec.get("allowed_operations"), "a client's own task cannot be cancelled");

        assertEquals(List.of("HANDLE_INVALID", "task", task), error(call("task.get_record", bob, task)));
        assertEquals(List.of("HANDLE_INVALID", "task", task), error(call("task.get_status", bob, task)));
        assertEquals(List.of("HANDLE_INVALID", "task", task), error(call("task.destroy", bob, task)));
        assertEquals(List.of("UUID_INVALID", "task", task), error(call("task.get_by_uuid", bob, task)));
        assertEquals(List.of(), value(call("task.get_all", bob)));
        assertEquals(Map.of(), value(call("task.get_all_records", bob)));
        assertEquals(Map.of(), value(call("task.get_all_records_where", bob, "true")));
        assertEquals(List.of(), value(call("task.get_by_name_label", bob, "backup")));

        assertEquals(List.of(task), value(call("task.get_all", alice)));
        assertEquals(List.of(task), value(call("task.get_by_name_label", alice, "backup")));
        assertEquals(task, value(call("task.get_by_uuid", alice, task)));
        assertEquals(List.of(task), value(call("task.get_all", root)), "an admin sees every task");
        assertEquals("pending", value(call("task.get_status", root, task)));

        value(call("task.add_to_other_config", alice, task, "owner", "alice"));
        assertEquals(Map.of("owner", "alice"), value(call("task.get_other_config", alice, task)));
        assertEquals("", value(call("task.destroy", alice, task)));
        assertEquals(List.of("HANDLE_INVALID", "task", task), error(call("task.get_record", alice, task)));
    }

    @Test
    void aRunningTaskCanBeCancelledButNotDestroyed() throws Exception {
        String task = (String) value(call("Async.thing.wait", alice, thing));
        assertTrue(waitStarted.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("Cancel"), value(call("task.get_allowed_operations", alice, task)));
        assertEquals(List.of("OPERATION_NOT_ALLOWED"), error(call("task.destroy", alice, task)));
        assertEquals(List.of("HANDLE_INVALID", "task", task), error(call("task.cancel", bob, task)));

        assertEquals("", value(call("task.cancel", alice, task)));
        assertEquals(List.of("OPERATION_NOT_ALLOWED"), error(call("task.cancel", alice, task)),
                "a second cancel has nothing left to ask");
        Map<?, ?> rec = waitForTask(task, alice);
        assertEquals("cancelled", rec.get("status"));
        assertEquals(List.of("TASK_CANCELLED", task), rec.get("error_info"));
        assertEquals(List.of(), rec.get("allowed_operations"));
        assertEquals(List.of("OPERATION_NOT_ALLOWED"), error(call("task.cancel", alice, task)));
        assertEquals("", value(call("task.destroy", alice, task)), "a finished task can be destroyed");
    }

    @Test
    void aClientTaskCannotBeCancelledAndGoesWithItsSession() {
        String task = (String) value(call("task.create", alice, "mine", ""));
        assertEquals(List.of("OPERATION_NOT_ALLOWED"), error(call("task.cancel", alice, task)));
        String finished = (String) value(call("Async.thing.count_all", alice));
        sessions.close(alice);
        assertTrue(store.get("task", task).isEmpty(), "nobody could destroy it any more");
        assertTrue(store.get("task", finished).isPresent(), "finished Async tasks are collected as usual");
    }

    // ---- visibility ----

    @Test
    void aClassMayRefuseToShowAnObject() {
        String secret = (String) value(call("thing.create", root, Map.of("name_label", "secret")));
        assertEquals(List.of("PERMISSION_DENIED"), error(call("thing.get_record", alice, secret)));
        assertEquals(List.of("PERMISSION_DENIED"), error(call("thing.get_count", alice, secret)));
        assertEquals(List.of("PERMISSION_DENIED"), error(call("thing.get_by_uuid", alice, secret)));
        assertEquals(List.of(thing), value(call("thing.get_all", alice)));
        assertEquals(List.of(), value(call("thing.get_by_name_label", alice, "secret")));
        assertEquals(secret, value(call("thing.get_by_uuid", root, secret)));
        assertEquals(2, ((List<?>) value(call("thing.get_all", root))).size());
    }

    // ---- get_all_records_where ----

    @Test
    void getAllRecordsWhereFiltersWithXapisQueryLanguage() {
        String two = (String) value(call("thing.create", root, Map.of("name_label", "two", "count", "2")));
        String three = (String) value(call("thing.create", root, Map.of("name_label", "three", "colour", "green")));
        assertEquals(List.of(two), keys(call("thing.get_all_records_where", root, "field \"name__label\"=\"two\"")));
        assertEquals(List.of(thing), keys(call("thing.get_all_records_where", root, "field \"count\" = \"42\"")));
        assertEquals(sorted(thing, two), keys(call("thing.get_all_records_where", root,
                "field \"colour\"=\"red\" and not field \"name_label\"=\"three\"")));
        assertEquals(sorted(two, three), keys(call("thing.get_all_records_where", root,
                "(field \"name_label\"=\"two\") or \"green\"=field \"colour\"")));
        assertEquals(3, keys(call("thing.get_all_records_where", root, "true")).size());
        assertEquals(List.of(), keys(call("thing.get_all_records_where", root, "false")));
        Map<?, ?> records = (Map<?, ?>) value(call("thing.get_all_records_where", root, "field \"uuid\"=\"" + two + "\""));
        assertEquals("2", ((Map<?, ?>) records.get(two)).get("count"), "records are encoded as get_record does");

        List<?> err = error(call("thing.get_all_records_where", root, "field \"name_label\"="));
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "expr", "field \"name_label\"="), err.subList(0, 3));
        assertEquals("VALUE_NOT_SUPPORTED",
                error(call("thing.get_all_records_where", root, "field \"no_such\"=\"x\"")).get(0));
    }

    private List<String> keys(Map<String, Object> response) {
        List<String> out = new ArrayList<>();
        for (Object k : ((Map<?, ?>) value(response)).keySet()) {
            out.add((String) k);
        }
        out.sort(null);
        return out;
    }

    private static List<String> sorted(String... refs) {
        List<String> out = new ArrayList<>(Arrays.asList(refs));
        out.sort(null);
        return out;
    }

    private Map<?, ?> waitForTask(String task) throws InterruptedException {
        return waitForTask(task, root);
    }

    private Map<?, ?> waitForTask(String task, String session) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            Map<?, ?> rec = (Map<?, ?>) value(call("task.get_record", session, task));
            if (!"pending".equals(rec.get("status")) && !"cancelling".equals(rec.get("status"))) {
                return rec;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("task " + task + " never finished");
    }
}
