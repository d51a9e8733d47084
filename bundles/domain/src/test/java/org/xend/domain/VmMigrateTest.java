package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.domain.DomainHarness.S;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VM.migrate through the dispatcher: its options, and a daemon without a relocation client. */
class VmMigrateTest {

    @TempDir
    Path state;

    private DomainHarness h;
    private String vm;

    @BeforeEach
    void setUp() throws Exception {
        h = new DomainHarness(state, 3, 0);
        vm = h.create("mover", 64);
        h.value("VM.start", S, vm, false);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void withoutARelocationClientTheVmStaysAndTheCallerIsTold() {
        List<?> error = h.error("VM.migrate", S, vm, "elsewhere.example", true, Map.of());

        assertEquals("VM_MIGRATE_FAILED", error.get(0));
        assertEquals(vm, error.get(1));
        assertEquals("elsewhere.example", error.get(3));
        assertTrue(error.get(4).toString().contains("no relocation service"), error::toString);
        assertEquals("Running", h.powerState(vm));
    }

    @Test
    void thePortOptionIsCheckedAndResourceIgnored() {
        SinkRelocation sink = new SinkRelocation();
        h.runtime.useRelocation(() -> sink);

        List<?> bad = h.error("VM.migrate", S, vm, "elsewhere.example", false, Map.of("port", "eighty"));
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "port", "eighty"), bad.subList(0, 3));
        assertEquals("Running", h.powerState(vm));

        h.value("VM.migrate", S, vm, "elsewhere.example", false, Map.of("port", "8002", "resource", "5"));

        assertEquals("Halted", h.powerState(vm), "a managed VM stays defined, Halted");
        assertTrue(sink.received.get() > 64L << 20, "its image went to the destination");
        assertEquals(List.of(0), h.sim.hypervisor.domains().stream().map(d -> d.domid()).toList());
    }

    @Test
    void asyncMigrateIsATask() throws Exception {
        h.runtime.useRelocation(SinkRelocation::new);

        String task = (String) h.value("Async.VM.migrate", S, vm, "elsewhere.example", true, Map.of());

        for (int i = 0; i < 500 && "pending".equals(h.value("task.get_status", S, task)); i++) {
            Thread.sleep(10);
        }
        assertEquals("success", h.value("task.get_status", S, task));
        assertEquals("Halted", h.powerState(vm));
    }
}
