package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.domain.DomainHarness.S;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 clients fire conflicting lifecycle operations at 8 VMs for a bounded time: every call gets a success or a clean
 * Xen API error, nothing deadlocks, and every VM ends in a state the lifecycle table allows.
 */
class ConcurrencyTest {

    private static final Set<String> CLEAN_ERRORS = Set.of("VM_BAD_POWER_STATE", "OTHER_OPERATION_IN_PROGRESS",
            "VM_CHECKPOINT_SUSPEND_FAILED");
    private static final List<String> OPERATIONS = List.of("start", "pause", "unpause", "clean_shutdown",
            "hard_shutdown", "hard_reboot", "suspend", "resume", "set_VCPUs_number_live");

    @TempDir
    Path state;

    @Test
    void conflictingOperationsEndCleanly() throws Exception {
        try (DomainHarness h = new DomainHarness(state, 5, 0)) {
            List<String> vms = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                vms.add(h.create("busy-" + i, 64));
            }
            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(32);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            CountDownLatch done = new CountDownLatch(32);
            for (int c = 0; c < 32; c++) {
                clients.execute(() -> {
                    try {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        while (System.nanoTime() < deadline) {
                            String vm = vms.get(random.nextInt(vms.size()));
                            String op = OPERATIONS.get(random.nextInt(OPERATIONS.size()));
                            Map<String, Object> r = switch (op) {
                                case "start" -> h.call("VM.start", S, vm, random.nextBoolean());
                                case "resume" -> h.call("VM.resume", S, vm, false);
                                case "set_VCPUs_number_live" -> h.call("VM." + op, S, vm, "1");
                                default -> h.call("VM." + op, S, vm);
                            };
                            String outcome = "Success".equals(r.get("Status")) ? "Success"
                                    : String.valueOf(((List<?>) r.get("ErrorDescription")).get(0));
                            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                            if (!"Success".equals(outcome) && !CLEAN_ERRORS.contains(outcome)) {
                                unexpected.add(op + " → " + r);
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "a client is stuck: deadlock? outcomes " + outcomes);
            clients.shutdownNow();
            assertEquals(List.of(), unexpected, "outcomes " + outcomes);
            assertTrue(outcomes.get("Success").get() > 0, "some operations succeed: " + outcomes);
            assertTrue(outcomes.containsKey("OTHER_OPERATION_IN_PROGRESS"), "operations did collide: " + outcomes);
            for (String vm : vms) {
                String s = h.powerState(vm);
                assertTrue(Lifecycle.STATES.contains(s), vm + " ended in " + s);
                int domid = h.domid(vm);
                boolean hasDomain = h.sim.hypervisor.domain(Math.max(domid, 0)).isPresent() && domid > 0;
                assertEquals(Set.of("Running", "Paused").contains(s), hasDomain,
                        vm + " is " + s + " with domid " + domid + ": the record and the hypervisor agree");
            }
        }
    }

    @Test
    void vmsCreatedAtOnceUnderOneNameGetItOnce() throws Exception {
        try (DomainHarness h = new DomainHarness(state, 5, 0)) {
            for (int round = 0; round < 20; round++) {
                String name = "twin-" + round;
                int clients = 8;
                CountDownLatch go = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                List<Future<Map<String, Object>>> calls = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return h.call("VM.create", S, DomainHarness.vmRecord(name, 32));
                    }));
                }
                go.countDown();
                int created = 0;
                for (var call : calls) {
                    Map<String, Object> response = call.get(30, TimeUnit.SECONDS);
                    if ("Success".equals(response.get("Status"))) {
                        created++;
                    } else {
                        assertEquals("VALUE_NOT_SUPPORTED", ((List<?>) response.get("ErrorDescription")).get(0));
                    }
                }
                pool.shutdown();
                assertEquals(1, created, "one VM named " + name);
                assertEquals(1, ((List<?>) h.value("VM.get_by_name_label", S, name)).size());
            }
        }
    }

    @Test
    void vmsRenamedAtOnceToOneNameGetItOnce() throws Exception {
        try (DomainHarness h = new DomainHarness(state, 5, 0)) {
            int clients = 8;
            List<String> vms = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                vms.add(h.create("renamed-" + c, 32));
            }
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int round = 0; round < 20; round++) {
                String name = "wanted-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Map<String, Object>>> calls = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    String vm = vms.get(c);
                    // both doors: the Xen API's setter and the legacy API's rename
                    boolean setter = c % 2 == 0;
                    calls.add(pool.submit(() -> {
                        go.await();
                        if (setter) {
                            return h.call("VM.set_name_label", S, vm, name);
                        }
                        try {
                            h.runtime.service().rename(vm, name);
                            return Map.of("Status", "Success");
                        } catch (org.xend.api.XenApiException e) {
                            return Map.of("Status", "Failure", "ErrorDescription", List.of(e.code()));
                        }
                    }));
                }
                go.countDown();
                int renamed = 0;
                for (var call : calls) {
                    Map<String, Object> response = call.get(30, TimeUnit.SECONDS);
                    if ("Success".equals(response.get("Status"))) {
                        renamed++;
                    } else {
                        assertEquals("VALUE_NOT_SUPPORTED", ((List<?>) response.get("ErrorDescription")).get(0));
                    }
                }
                assertEquals(1, renamed, "one VM renamed " + name);
                assertEquals(1, ((List<?>) h.value("VM.get_by_name_label", S, name)).size());
            }
            pool.shutdown();
        }
    }

    @Test
    void aRenameThatFailsGivesTheNameBack() throws Exception {
        try (DomainHarness h = new DomainHarness(state, 5, 0)) {
            String missing = org.xend.api.store.Refs.newRef();
            org.xend.api.XenApiException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    org.xend.api.XenApiException.class, () -> h.runtime.service().rename(missing, "free-name"));
            assertEquals("HANDLE_INVALID", refused.code());

            String vm = h.create("other", 32);
            h.value("VM.set_name_label", S, vm, "free-name");
            assertEquals(List.of(vm), h.value("VM.get_by_name_label", S, "free-name"));
        }
    }
}
