package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/**
 * The legacy calls on the hypervisor's rarer parts: dump, maxmem_set, the SEDF scheduler, shadow memory, I/O ports,
 * debug keys and dmesg, with Xend's results (ints where it returned xc's 0, "" for None, strings for dmesg).
 */
class LegacyHypervisorControlsTest {

    @TempDir
    Path state;

    @TempDir
    Path files;

    private LegacyFixture xend;

    private void start(Map<String, Object> simSettings) throws Exception {
        xend = new LegacyFixture(state, simSettings);
        xend.call("xend.domain.new", (Object) new Object[] {"vm",
            new Object[] {"name", "web"},
            new Object[] {"memory", 128},
            new Object[] {"vcpus", 1},
            new Object[] {"image", new Object[] {"linux", new Object[] {"kernel", "/boot/vmlinuz-2.6.18-xen"}}}});
        xend.call("xend.domain.start", "web", false);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (xend != null) {
            xend.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Object value(List<Object> sxp, String key) {
        for (Object child : sxp) {
            if (child instanceof List<?> l && key.equals(l.get(0))) {
                return ((List<Object>) l).get(1);
            }
        }
        return null;
    }

    @Test
    void dmesgAndDebugKeysAnswerAsXendDid() throws Exception {
        start(Map.of());
        String ring = (String) xend.call("xend.node.dmesg.info");
        assertTrue(ring.startsWith("(XEN) Xen version 3.1.0"), ring);
        assertTrue(ring.contains("\\n(XEN) "), "a top-level string goes out as Xend's repr body: " + ring);
        assertEquals(0, xend.call("xend.node.send_debug_keys", "h"));
        String cleared = (String) xend.call("xend.node.dmesg.clear");
        assertTrue(cleared.contains("showing installed handlers"), cleared);
        assertEquals("", xend.call("xend.node.dmesg.info"));
        xend.assertFault(1, "xend.node.send_debug_keys: argument 1 (keys) must be a string",
                "xend.node.send_debug_keys", 5);
    }

    @Test
    void dumpWritesTheCoreAndCrashDestroysTheDomain() throws Exception {
        start(Map.of());
        Path core = files.resolve("web.core");
        assertEquals("", xend.call("xend.domain.dump", "web", core.toString(), false, false));
        assertTrue(Files.size(core) > 0);
        assertEquals(2, value(xend.list("xend.domain", "web"), "status"), "still running");

        assertEquals("", xend.call("xend.domain.dump", "web", null, true, true));
        assertEquals(0, value(xend.list("xend.domain", "web"), "status"), "destroyed, still defined");
        try (var dumps = Files.list(state.resolve("dump"))) {
            assertEquals(1, dumps.count(), "the core went to the dump directory");
        }
        xend.assertFault(2, "Domain web is Halted; the operation needs it Running", "xend.domain.dump", "web",
                core.toString(), false, false);
        xend.call("xend.domain.start", "web", false);
        xend.assertFault(2, "Invalid file 'web.core': the path must be absolute", "xend.domain.dump", "web",
                "web.core", false, false);
        xend.assertFault(3, "nobody", "xend.domain.dump", "nobody", core.toString(), false, false);
    }

    @Test
    void maxmemSetChangesTheLimitShownAsMaxmem() throws Exception {
        start(Map.of());
        assertEquals("", xend.call("xend.domain.maxmem_set", "web", 512));
        assertEquals(512, value(xend.list("xend.domain", "web"), "maxmem"));
        XmlRpcFault below = xend.fault("xend.domain.maxmem_set", "web", 64);
        assertEquals(2, below.code());
        assertTrue(below.getMessage().startsWith("Invalid memory_dynamic_max"), below.getMessage());
        xend.assertFault(2, "Invalid memory size", "xend.domain.maxmem_set", "web", 0);
    }

    @Test
    void sedfUnderTheCreditSchedulerIsAClearFault() throws Exception {
        start(Map.of());
        XmlRpcFault f = xend.fault("xend.domain.cpu_sedf_get", "web");
        assertEquals(2, f.code());
        assertTrue(f.getMessage().contains("runs the credit scheduler"), f.getMessage());
    }

    @Test
    void sedfGetAndSetSpeakNanosecondsInXendsShape() throws Exception {
        start(Map.of("scheduler", "sedf"));
        XmlRpcFault credit = xend.fault("xend.domain.sched_credit_get", "web");
        assertEquals(2, credit.code());
        assertTrue(credit.getMessage().contains("runs the sedf scheduler"), credit.getMessage());

        int domid = (Integer) value(xend.list("xend.domain", "web"), "domid");
        assertEquals(List.of("sedf", List.of("domid", domid), List.of("period", 100_000_000), List.of("slice", 0),
                List.of("latency", 0), List.of("extratime", 1), List.of("weight", 0)),
                xend.call("xend.domain.cpu_sedf_get", "web"));
        assertEquals(0, xend.call("xend.domain.cpu_sedf_set", "web", 20_000_000, 5_000_000, 0, 0, 0));
        List<Object> sedf = xend.list("xend.domain.cpu_sedf_get", "web");
        assertEquals(20_000_000, value(sedf, "period"));
        assertEquals(5_000_000, value(sedf, "slice"));
        assertEquals(0, value(sedf, "extratime"));

        // a period beyond XML-RPC's ints travels as digits, both ways
        assertEquals(0, xend.call("xend.domain.cpu_sedf_set", "web", "10000000000", 5_000_000, 0, 1, 0));
        assertEquals("10000000000", value(xend.list("xend.domain.cpu_sedf_get", "web"), "period"));
        XmlRpcFault bad = xend.fault("xend.domain.cpu_sedf_set", "web", 20_000_000, 30_000_000, 0, 0, 0);
        assertEquals(2, bad.code());
        assertTrue(bad.getMessage().contains("slice"), bad.getMessage());
    }

    @Test
    void shadowAndIoportCallsReturnXendsInts() throws Exception {
        start(Map.of());
        assertEquals(0, xend.call("xend.domain.shadow_mem_get", "web"));
        assertEquals(8, xend.call("xend.domain.shadow_mem_set", "web", 8));
        assertEquals(8, xend.call("xend.domain.shadow_mem_get", "web"));
        assertEquals(0, xend.call("xend.domain.shadow_control", "web", 2));
        XmlRpcFault op = xend.fault("xend.domain.shadow_control", "web", 99);
        assertEquals(2, op.code());
        assertTrue(op.getMessage().contains("bad shadow op 99"), op.getMessage());

        assertEquals(0, xend.call("xend.domain.ioport_range_enable", "web", 0x3f8, 0x3ff));
        assertEquals(0, xend.call("xend.domain.ioport_range_disable", "web", 0x3f8, 0x3ff));
        assertEquals(2, xend.fault("xend.domain.ioport_range_enable", "web", 0x3ff, 0x3f0).code());
        xend.call("xend.domain.destroy", "web");
        XmlRpcFault halted = xend.fault("xend.domain.shadow_mem_get", "web");
        assertEquals(2, halted.code());
        assertEquals("Domain web is Halted; the operation needs it Running", halted.getMessage());
    }
}
