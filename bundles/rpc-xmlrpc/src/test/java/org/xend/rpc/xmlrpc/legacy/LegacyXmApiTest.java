package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.domain.DomainService;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/** Every legacy method against the real domain layer on the simulated hypervisor. */
class LegacyXmApiTest {

    private static final String DOM0 = "00000000-0000-0000-0000-000000000000";

    @TempDir
    Path state;

    private LegacyFixture xend;

    @BeforeEach
    void setUp() throws Exception {
        xend = new LegacyFixture(state);
    }

    @AfterEach
    void tearDown() throws Exception {
        xend.close();
    }

    /** xm new's configuration, as XML-RPC decodes it: arrays are Object[], numbers native ints. */
    private static Object[] vm(String name, int memoryMib) {
        return new Object[] {"vm",
            new Object[] {"name", name},
            new Object[] {"memory", memoryMib},
            new Object[] {"vcpus", 2},
            new Object[] {"on_crash", "preserve"},
            new Object[] {"on_xend_start", "ignore"},
            new Object[] {"image", new Object[] {"linux",
                new Object[] {"kernel", "/boot/vmlinuz-2.6.18-xen"},
                new Object[] {"args", "root=/dev/xvda1 ro console=hvc0"}}},
            new Object[] {"device", new Object[] {"vbd",
                new Object[] {"uname", "phy:/dev/vg0/" + name},
                new Object[] {"dev", "xvda"},
                new Object[] {"mode", "w"}}},
            new Object[] {"device", new Object[] {"vif",
                new Object[] {"mac", "00:16:3e:00:00:01"},
                new Object[] {"bridge", "xenbr0"}}}};
    }

    @Test
    void newThenDomainShowsTheSameConfigurationAsLegacySxp() throws Exception {
        assertEquals("", xend.call("xend.domain.new", (Object) vm("web", 128)));
        List<Object> sxp = xend.list("xend.domain", "web", true);

        assertEquals("domain", sxp.get(0));
        assertNull(child(sxp, "domid"), "a halted domain has no domid");
        assertNull(child(sxp, "state"), "nor a state string");
        assertEquals(0, value(sxp, "status"));
        assertEquals("web", value(sxp, "name"));
        assertEquals(128, value(sxp, "memory"), "MiB as a native int");
        assertEquals(128, value(sxp, "maxmem"));
        assertEquals(2, value(sxp, "vcpus"));
        assertEquals("preserve", value(sxp, "on_crash"));
        assertEquals("ignore", value(sxp, "on_xend_start"));
        String uuid = (String) value(sxp, "uuid");
        Path saved = state.resolve("domains").resolve(uuid).resolve("config.sxp");
        for (int i = 0; i < 500 && !Files.isRegularFile(saved); i++) {
            Thread.sleep(10); // written behind the journal that made it durable
        }
        assertTrue(Files.isRegularFile(saved), "managed");
        assertTrue(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), uuid);
        assertEquals(1, sxp.stream().filter(e -> "uuid".equals(DomainSxp.nameOf(e))).count());
        for (String apiKey : List.of("name_label", "memory_static_max", "memory_dynamic_max", "VCPUs_max",
                "actions_after_crash", "PV_kernel", "platform", "other_config")) {
            assertNull(child(sxp, apiKey), "the legacy form has no Xen API key " + apiKey);
        }
        assertEquals(List.of("image", List.of("linux", List.of("kernel", "/boot/vmlinuz-2.6.18-xen"),
                List.of("args", "root=/dev/xvda1 ro console=hvc0"))), child(sxp, "image"));

        List<List<?>> devices = children(sxp, "device");
        assertEquals(2, devices.size());
        List<?> vbd = (List<?>) devices.get(0).get(1);
        assertEquals("vbd", vbd.get(0));
        assertEquals("phy:/dev/vg0/web", value(vbd, "uname"));
        assertEquals("xvda", value(vbd, "dev"));
        assertEquals("w", value(vbd, "mode"));
        List<?> vif = (List<?>) devices.get(1).get(1);
        assertEquals("00:16:3e:00:00:01", value(vif, "mac"));
        assertEquals("xenbr0", value(vif, "bridge"));

        List<Object> brief = xend.list("xend.domain", "web");
        assertTrue(children(brief, "device").isEmpty(), "devices only when full");
        assertEquals(sxp.subList(0, sxp.size() - 2), brief);

        // what xend.domain printed defines the same domain again
        xend.call("xend.domain.delete", "web");
        xend.assertFault(3, "web", "xend.domain", "web");
        xend.call("xend.domain.new", sxp);
        assertEquals(sxp, xend.list("xend.domain", uuid, 1));
    }

    @Test
    void lifecycleOfAManagedDomain() throws Exception {
        xend.call("xend.domain.new", (Object) vm("app", 64));
        assertEquals("", xend.call("xend.domain.start", "app"));
        List<Object> sxp = xend.list("xend.domain", "app");
        assertEquals(1, value(sxp, "status"), "xend.domain.start leaves the domain paused unless told otherwise");
        assertEquals("--p---", value(sxp, "state"));
        int domid = (Integer) value(sxp, "domid");
        assertTrue(domid > 0);
        assertEquals(sxp.get(1), List.of("domid", domid), "domid comes first");
        assertInstanceOf(Double.class, value(sxp, "cpu_time"));
        assertInstanceOf(Double.class, value(sxp, "start_time"));
        assertEquals(2, value(sxp, "online_vcpus"));
        assertTrue(indexOf(sxp, "start_time") < indexOf(sxp, "image"));
        assertTrue(indexOf(sxp, "image") < indexOf(sxp, "status"));
        assertTrue(indexOf(sxp, "status") < indexOf(sxp, "state"));

        xend.call("xend.domain.unpause", Integer.toString(domid));
        sxp = xend.list("xend.domain", domid);
        assertEquals(2, value(sxp, "status"));
        assertTrue(((String) value(sxp, "state")).matches("[rb-][rb-]----"), (String) value(sxp, "state"));
        xend.call("xend.domain.pause", "app");
        assertEquals(1, value(xend.list("xend.domain", "app"), "status"));
        xend.call("xend.domain.unpause", "app");

        assertEquals("", xend.call("xend.domain.shutdown", "app", "poweroff"));
        sxp = xend.list("xend.domain", "app");
        assertEquals(0, value(sxp, "status"));
        assertNull(child(sxp, "domid"));

        xend.call("xend.domain.start", "app", false);
        assertEquals(2, value(xend.list("xend.domain", "app"), "status"));
        xend.call("xend.domain.destroy", "app");
        assertEquals(0, value(xend.list("xend.domain", "app"), "status"), "a managed domain stays defined");
        xend.call("xend.domain.delete", "app");
        xend.assertFault(3, "app", "xend.domain", "app");
        assertEquals(1, xend.hypervisor.domains().size(), "only Domain-0 is left");
    }

    @Test
    void suspendResumeSaveRestoreAndTuning(@org.junit.jupiter.api.io.TempDir Path images)
            throws Exception {
        xend.call("xend.domain.new", (Object) vm("tuned", 64));
        xend.call("xend.domain.start", "tuned", false);
        assertEquals("", xend.call("xend.domain.setMemoryTarget", "tuned", 32));
        List<Object> sxp = xend.list("xend.domain", "tuned");
        assertEquals(32, value(sxp, "memory"), "the target is the domain's memory now");
        assertEquals("", xend.call("xend.domain.setVCpuCount", "tuned", 1));
        assertEquals(1, value(xend.list("xend.domain", "tuned"), "online_vcpus"));
        assertEquals("", xend.call("xend.domain.sched_credit_set", "tuned", 512, 50));
        assertEquals(java.util.Map.of("weight", 512, "cap", 50), xend.call("xend.domain.sched_credit_get", "tuned"));
        assertEquals("", xend.call("xend.domain.pincpu", "tuned", "0", new Object[] {1, 2}));
        assertEquals(2, xend.fault("xend.domain.sched_credit_set", "tuned", 0).code(), "weight 0 is refused");

        assertEquals("", xend.call("xend.domain.suspend", "tuned"));
        assertEquals(3, value(xend.list("xend.domain", "tuned"), "status"), "suspended");
        assertEquals("", xend.call("xend.domain.resume", "tuned"));
        assertEquals(2, value(xend.list("xend.domain", "tuned"), "status"));

        String image = images.resolve("tuned.img").toString();
        assertEquals("", xend.call("xend.domain.save", "tuned", image));
        assertEquals(0, value(xend.list("xend.domain", "tuned"), "status"), "a saved domain is gone");
        List<Object> restored = xend.list("xend.domain.restore", image);
        assertEquals("tuned", value(restored, "name"));
        assertEquals(2, value(xend.list("xend.domain", "tuned"), "status"));
        xend.call("xend.domain.destroy", "tuned");
    }

    @Test
    void createBuildsAPausedDomainThatIsForgottenOnceDestroyed() throws Exception {
        List<Object> sxp = xend.list("xend.domain.create", (Object) vm("once", 64));
        int domid = (Integer) value(sxp, "domid");
        assertEquals("once", value(sxp, "name"));
        assertEquals(1, value(sxp, "status"), "xm create unpauses after waiting for the devices");
        assertEquals(2, children(sxp, "device").size(), "create answers the full SXP");
        String uuid = (String) value(sxp, "uuid");
        assertFalse(Files.exists(state.resolve("domains").resolve(uuid)), "not managed");

        assertEquals("", xend.call("xend.domain.waitForDevices", "once"));
        xend.call("xend.domain.unpause", domid);
        assertEquals(2, value(xend.list("xend.domain", "once"), "status"));
        xend.call("xend.domain.destroy", "once");
        xend.assertFault(3, "once", "xend.domain", "once");
    }

    @Test
    void domainsWithStateFiltersAndSortsByName() throws Exception {
        xend.call("xend.domain.new", (Object) vm("zeta", 64));
        xend.call("xend.domain.new", (Object) vm("alpha", 64));
        xend.call("xend.domain.new", (Object) vm("mid", 64));
        xend.call("xend.domain.start", "zeta", false);
        xend.call("xend.domain.start", "mid", true);

        assertEquals(List.of("Domain-0", "alpha", "mid", "zeta"), xend.call("xend.domains_with_state", false, "all",
                false));
        assertEquals(List.of("Domain-0", "zeta"), xend.call("xend.domains_with_state", false, "running", false));
        assertEquals(List.of("Domain-0", "zeta"), xend.call("xend.domains_with_state", false, 2, false));
        assertEquals(List.of("Domain-0", "zeta"), xend.call("xend.domains_with_state", false, "RUNNING", false));
        assertEquals(List.of("mid"), xend.call("xend.domains_with_state", false, "Paused", false));
        assertEquals(List.of("mid"), xend.call("xend.domains_with_state", false, 1, false));
        assertEquals(List.of("alpha"), xend.call("xend.domains_with_state", false, "halted", false));
        assertEquals(List.of("alpha"), xend.call("xend.domains_with_state", false, 4, false),
                "Xend's state 4 (shutting down) reads as halted");
        assertEquals(List.of(), xend.call("xend.domains_with_state", false, "suspended", false));
        assertEquals(List.of(), xend.call("xend.domains_with_state", false, "unknown", false));

        List<Object> detailed = xend.list("xend.domains_with_state", true, "all", true);
        List<Object> names = new ArrayList<>();
        for (Object d : detailed) {
            names.add(value((List<?>) d, "name"));
        }
        assertEquals(List.of("Domain-0", "alpha", "mid", "zeta"), names);
        List<?> dom0 = (List<?>) detailed.get(0);
        assertEquals(0, value(dom0, "domid"));
        assertEquals(DOM0, value(dom0, "uuid"));
        assertEquals(2, value(dom0, "status"));

        assertEquals(List.of("Domain-0", "zeta"), xend.call("xend.domains", false));
        List<Object> running = xend.list("xend.domains");
        assertEquals(2, running.size(), "xend.domains gives the SXPs of running domains by default");
        assertEquals("zeta", value((List<?>) running.get(1), "name"));
        assertTrue(children((List<?>) running.get(1), "device").isEmpty(), "no devices unless full");

        xend.assertFault(2, "Invalid state: bogus; a state is all, halted, paused, running, suspended, unknown or "
                + "a number from 0 to 5", "xend.domains_with_state", false, "bogus", false);
        assertEquals(2, xend.fault("xend.domains_with_state", false, 6, false).code());
        assertEquals(1, xend.fault("xend.domains_with_state", false, new Object[0], false).code());
    }

    @Test
    void faultsCarryXendsCodes() throws Exception {
        xend.call("xend.domain.new", (Object) vm("web", 64));

        // 3: the domain as the client named it
        xend.assertFault(3, "nosuch", "xend.domain.start", "nosuch");
        xend.assertFault(3, "4711", "xend.domain.pause", 4711);
        xend.assertFault(3, "nosuch", "xend.domain.getRestartCount", "nosuch");

        // 2: the domain layer's refusals, in words
        xend.call("xend.domain.start", "web", false);
        xend.assertFault(2, "Domain web is Running; the operation needs it Halted", "xend.domain.start", "web");
        xend.assertFault(2, "Domain web is Running; the operation needs it Halted", "xend.domain.delete", "web");
        xend.assertFault(2, "The operation is not allowed on domain Domain-0", "xend.domain.pause", "Domain-0");
        xend.assertFault(2, "Invalid reason: explode", "xend.domain.shutdown", "web", "explode");
        assertEquals(2, xend.fault("xend.domain.shutdown", "web", "crash").code(),
                "a reason Xend knew but the domain layer does not serve is refused with a message");
        XmlRpcFault memory = xend.fault("xend.domain.create", (Object) vm("huge", 8192));
        assertEquals(2, memory.code());
        assertTrue(memory.getMessage().startsWith("Not enough free memory on the host: 8192 MiB needed"),
                memory.getMessage());
        XmlRpcFault name = xend.fault("xend.domain.new", (Object) vm("web", 64));
        assertEquals(2, name.code());
        assertTrue(name.getMessage().startsWith("Invalid name_label 'web'"), name.getMessage());
        XmlRpcFault config = xend.fault("xend.domain.new", (Object) new Object[] {"vm", new Object[] {"memory",
            Map.of("a", "b")}});
        assertEquals(2, config.code());
        assertEquals("Invalid configuration: an SXP value is a string, a number or a list, not a struct",
                config.getMessage());
        XmlRpcFault notSxp = xend.fault("xend.domain.new", (Object) new Object[] {"network", new Object[] {"x"}});
        assertEquals(2, notSxp.code());
        assertTrue(notSxp.getMessage().startsWith("Invalid configuration: "), notSxp.getMessage());

        // 2: a migration that failed (this fixture has no relocation client), told in words
        XmlRpcFault migrate = xend.fault("xend.domain.migrate", "web", "elsewhere", 1, 0, 8002);
        assertEquals(2, migrate.code());
        assertTrue(migrate.getMessage().startsWith("Migration of domain web to elsewhere failed: this daemon has "
                + "no relocation service"), migrate.getMessage());
        xend.assertFault(1, "xend.domain.migrate: argument 5 (port) must be an int", "xend.domain.migrate", "web",
                "elsewhere", 1, 0, "eighty");

        // 1: what Python's dispatcher refused
        xend.assertFault(1, "method \"xend.domain.fly\" is not supported", "xend.domain.fly", "web");
        xend.assertFault(1, "xend.domain.start takes 1 to 2 arguments (3 given)", "xend.domain.start", "web", true,
                true);
        xend.assertFault(1, "xend.node.info takes no arguments (1 given)", "xend.node.info", "x");
        xend.assertFault(1, "xend.domain.setName: argument 2 (name) must be a string", "xend.domain.setName", "web",
                5);
        xend.assertFault(1, "xend.domain: argument 1 (dom) must be a domain name, id or uuid", "xend.domain",
                (Object) new Object[] {"web"});
    }

    @Test
    void anUnexpectedFailureIsFaultOneWithoutInternals() {
        DomainService broken = (DomainService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DomainService.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("org.xend.domain.Secret exploded at line 42");
                });
        LegacyXmApi api = new LegacyXmApi(broken, new SxpConfigFormat(), xend.hypervisor);
        try {
            api.call(LegacyFixture.CONTEXT, "xend.domains_with_state", List.of(false, "all", false));
            throw new AssertionError("no fault");
        } catch (XmlRpcFault f) {
            assertEquals(1, f.code());
            assertEquals("Internal error in xend.domains_with_state; see the server log", f.getMessage());
        }
        try {
            api.internalError("xend.domain", "the result could not be encoded");
            throw new AssertionError("no fault");
        } catch (XmlRpcFault f) {
            assertEquals(1, f.code());
        }
    }

    @Test
    void renameRestartCountAndVcpus() throws Exception {
        xend.call("xend.domain.new", (Object) vm("old-name", 64));
        assertEquals("", xend.call("xend.domain.setName", "old-name", "new-name"));
        xend.assertFault(3, "old-name", "xend.domain", "old-name");
        assertEquals("new-name", value(xend.list("xend.domain", "new-name"), "name"));
        assertEquals("0", xend.call("xend.domain.getRestartCount", "new-name"));

        XmlRpcFault halted = xend.fault("xend.domain.getVCPUInfo", "new-name");
        assertEquals(2, halted.code());
        xend.call("xend.domain.start", "new-name", false);
        List<Object> vcpus = xend.list("xend.domain.getVCPUInfo", "new-name");
        assertEquals("domain", vcpus.get(0));
        assertEquals("new-name", value(vcpus, "name"));
        assertEquals(2, value(vcpus, "vcpu_count"));
        List<List<?>> each = children(vcpus, "vcpu");
        assertEquals(2, each.size());
        List<?> first = each.get(0);
        assertEquals(0, value(first, "number"));
        assertEquals(1, value(first, "online"));
        assertInstanceOf(Double.class, value(first, "cpu_time"));
        assertInstanceOf(Integer.class, value(first, "cpu"));
        assertInstanceOf(List.class, value(first, "cpumap"));
        xend.call("xend.domain.destroy", "new-name");
    }

    @Test
    void nodeInfoListsXendsKeysInOrder() throws Exception {
        List<Object> info = xend.list("xend.node.info");
        List<Object> keys = new ArrayList<>();
        for (Object pair : info) {
            List<?> kv = (List<?>) pair;
            assertEquals(2, kv.size());
            keys.add(kv.get(0));
        }
        assertEquals(List.of("system", "host", "release", "version", "machine", "nr_cpus", "nr_nodes",
                "sockets_per_node", "cores_per_socket", "threads_per_core", "cpu_mhz", "hw_caps", "total_memory",
                "free_memory", "xen_major", "xen_minor", "xen_extra", "xen_caps", "xen_scheduler", "xen_pagesize",
                "platform_params", "xen_changeset", "cc_compiler", "cc_compile_by", "cc_compile_domain",
                "cc_compile_date", "xend_config_format"), keys);
        Map<Object, Object> byKey = new java.util.HashMap<>();
        info.forEach(p -> byKey.put(((List<?>) p).get(0), ((List<?>) p).get(1)));
        assertEquals(4096, byKey.get("total_memory"), "MiB as a native int");
        assertEquals(3072, byKey.get("free_memory"), "the host less Domain-0");
        assertEquals(xend.hypervisor.physinfo().nrCpus(), byKey.get("nr_cpus"));
        assertEquals(3, byKey.get("xen_major"));
        assertEquals(4, byKey.get("xend_config_format"));
        assertEquals("credit", byKey.get("xen_scheduler"));
        for (String intKey : List.of("nr_nodes", "cpu_mhz", "xen_minor", "xen_pagesize")) {
            assertInstanceOf(Integer.class, byKey.get(intKey), intKey);
        }
        assertInstanceOf(String.class, byKey.get("hw_caps"));
    }

    @Test
    void nodeLogIsTheLogTailPythonEscaped() throws Throwable {
        Path logFile = state.resolve("karaf.log");
        LegacyFixture.withKarafLogIn(state, () -> {
            xend.assertFault(2, "The daemon log " + logFile + " does not exist", "xend.node.log");
            Files.writeString(logFile, "12:00 INFO started\n12:01 WARN it's \u001b[1mloud\u001b[0m \u00e9\\\n",
                    StandardCharsets.UTF_8);
            assertEquals("12:00 INFO started\\n12:01 WARN it's \\x1b[1mloud\\x1b[0m \\xc3\\xa9\\\\\\n",
                    xend.call("xend.node.log"));
        });
    }

    @Test
    void introspectionDescribesEveryMethod() throws Exception {
        List<Object> names = xend.list("system.listMethods");
        List<Object> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, names);
        for (String m : List.of("xend.domain", "xend.domains", "xend.domains_with_state", "xend.domain.create",
                "xend.domain.new", "xend.domain.start", "xend.domain.delete", "xend.domain.destroy",
                "xend.domain.pause", "xend.domain.unpause", "xend.domain.shutdown", "xend.domain.setName",
                "xend.domain.getRestartCount", "xend.node.info", "xend.node.log", "xend.domain.suspend",
                "xend.domain.sched_credit_set", "system.listMethods", "system.methodHelp",
                "system.methodSignature")) {
            assertTrue(names.contains(m), m);
        }
        assertEquals(List.of(List.of("array", "string"), List.of("array", "string", "boolean")),
                xend.call("system.methodSignature", "xend.domain"));
        assertEquals(List.of(List.of("array")), xend.call("system.methodSignature", "xend.node.info"));
        assertEquals("undef", xend.call("system.methodSignature", "xend.nothing"));
        String help = (String) xend.call("system.methodHelp", "xend.domain.start");
        assertTrue(help.startsWith("xend.domain.start(string dom, boolean start_paused=1): "), help);
        assertEquals("", xend.call("system.methodHelp", "xend.nothing"));
        assertTrue(LegacyXmApi.isLegacyMethod("xend.domain"));
        assertFalse(LegacyXmApi.isLegacyMethod("VM.get_record"));
        assertFalse(LegacyXmApi.isLegacyMethod("system.listMethods"));
    }

    // ---- SXP access as Xend's sxp.child / child_value ----

    private static List<?> child(List<?> sxp, String key) {
        for (Object e : sxp) {
            if (key.equals(DomainSxp.nameOf(e))) {
                return (List<?>) e;
            }
        }
        return null;
    }

    private static Object value(List<?> sxp, String key) {
        List<?> c = child(sxp, key);
        assertTrue(c != null && c.size() >= 2, () -> "no (" + key + " …) in " + sxp);
        return c.get(1);
    }

    private static List<List<?>> children(List<?> sxp, String key) {
        List<List<?>> out = new ArrayList<>();
        for (Object e : sxp) {
            if (key.equals(DomainSxp.nameOf(e))) {
                out.add((List<?>) e);
            }
        }
        return out;
    }

    private static int indexOf(List<?> sxp, String key) {
        for (int i = 0; i < sxp.size(); i++) {
            if (key.equals(DomainSxp.nameOf(sxp.get(i)))) {
                return i;
            }
        }
        return -1;
    }
}
