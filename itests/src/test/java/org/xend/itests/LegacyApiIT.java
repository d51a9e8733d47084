package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * Inside the booted assembly, drives the legacy xm XML-RPC API with Apache XML-RPC's client, on both doors that
 * serve it over TCP: the Xen API port (where Xend answered every xend.* method too) and the legacy port, enabled
 * here by configuration. A managed domain goes through xm new, start, shutdown and delete.
 */
public class LegacyApiIT extends XendKarafTestSupport {

    private static final String NAME = "legacy-it";

    @Override
    protected Option[] additionalOptions() {
        return new Option[] {
            mavenBundle("org.apache.servicemix.bundles", "org.apache.servicemix.bundles.ws-commons-util", "1.0.2_2"),
            mavenBundle("org.apache.servicemix.bundles", "org.apache.servicemix.bundles.xmlrpc-client", "3.1.3_1"),
            editConfigurationFilePut("etc/org.xend.rpc.xmlrpc.cfg", "legacyTcpEnabled", "true"),
        };
    }

    @Test
    public void xmLifecycleOverTheXenApiPortAndTheLegacyPort() throws Exception {
        XmlRpcClient xenApiPort = client(System.getProperty(XENAPI_PORT_PROPERTY));
        XmlRpcClient legacyPort = client(System.getProperty(LEGACY_PORT_PROPERTY));
        awaitLegacyApi(xenApiPort);
        awaitLegacyApi(legacyPort);

        for (XmlRpcClient door : List.of(xenApiPort, legacyPort)) {
            Map<Object, Object> info = pairs((Object[]) door.execute("xend.node.info", new Object[0]));
            assertEquals(4, info.get("xend_config_format"));
            assertTrue("total_memory in MiB as an int: " + info, (Integer) info.get("total_memory") > 0);
            assertTrue(info.containsKey("xen_caps"));
            assertEquals(List.of("Domain-0"), call(door, "xend.domains_with_state", false, "running", false));
        }

        Object[] vm = {"vm",
            new Object[] {"name", NAME},
            new Object[] {"memory", 64},
            new Object[] {"vcpus", 1},
            new Object[] {"image", new Object[] {"linux", new Object[] {"kernel", "/boot/vmlinuz-2.6.18-xen"}}}};
        assertEquals("", xenApiPort.execute("xend.domain.new", new Object[] {vm}));
        assertEquals(List.of(NAME), call(legacyPort, "xend.domains_with_state", false, "halted", false));
        Object[] sxp = (Object[]) legacyPort.execute("xend.domain", new Object[] {NAME});
        String uuid = (String) value(sxp, "uuid");
        assertEquals(64, value(sxp, "memory"));
        assertEquals(0, value(sxp, "status"));
        Path configSxp = Path.of(System.getProperty("karaf.data"), "xend", "domains", uuid, "config.sxp");
        assertTrue("xm new saves " + configSxp, Eventually.fileAppears(configSxp));

        assertEquals("", legacyPort.execute("xend.domain.start", new Object[] {NAME, false}));
        assertEquals(List.of("Domain-0", NAME), call(xenApiPort, "xend.domains_with_state", false, "running", false));
        sxp = (Object[]) xenApiPort.execute("xend.domain", new Object[] {NAME});
        assertEquals(2, value(sxp, "status"));
        assertTrue((Integer) value(sxp, "domid") > 0);
        assertFault(2, legacyPort, "xend.domain.delete", NAME);

        // a disk attached through the device controllers and the simulated backend, listed, and detached
        Path disk = Files.createTempFile("legacy-it", ".img");
        Object[] vbd = {"vbd", new Object[] {"uname", "file:" + disk}, new Object[] {"dev", "xvdb"},
            new Object[] {"mode", "w"}};
        Object[] created = (Object[]) legacyPort.execute("xend.domain.device_create", new Object[] {NAME, vbd});
        assertEquals("vbd", created[0]);
        assertEquals(Arrays.asList("dom", value(sxp, "domid"), "id", 51728), Arrays.asList((Object[]) created[1]));
        Object[] sxprs = (Object[]) xenApiPort.execute("xend.domain.getDeviceSxprs", new Object[] {NAME, "vbd"});
        assertEquals(1, sxprs.length);
        assertEquals(51728, ((Object[]) sxprs[0])[0]);
        assertEquals("", legacyPort.execute("xend.domain.destroyDevice", new Object[] {NAME, "vbd", "xvdb"}));
        assertEquals(0, ((Object[]) xenApiPort.execute("xend.domain.getDeviceSxprs",
                new Object[] {NAME, "vbd"})).length);
        Files.delete(disk);

        assertEquals("", xenApiPort.execute("xend.domain.shutdown", new Object[] {NAME, "poweroff"}));
        assertEquals(0, value((Object[]) legacyPort.execute("xend.domain", new Object[] {NAME}), "status"));
        assertEquals("", legacyPort.execute("xend.domain.delete", new Object[] {NAME}));
        assertFault(3, xenApiPort, "xend.domain", NAME);
        assertTrue("xm delete removes the managed config", Eventually.pathGoes(configSxp.getParent()));
        assertEquals(List.of("Domain-0"), call(legacyPort, "xend.domains_with_state", false, "all", false));
    }

    /** The hypervisor's console, a domain's memory limit and a crash dump, as xm dmesg, mem-max and dump-core. */
    @Test
    public void dmesgMaxmemAndDumpCoreInTheAssembly() throws Exception {
        XmlRpcClient legacyPort = client(System.getProperty(LEGACY_PORT_PROPERTY));
        awaitLegacyApi(legacyPort);
        String ring = (String) legacyPort.execute("xend.node.dmesg.info", new Object[0]);
        assertTrue(ring, ring.contains("(XEN) Xen version 3.1.0"));
        assertEquals(0, legacyPort.execute("xend.node.send_debug_keys", new Object[] {"h"}));
        String keys = (String) legacyPort.execute("xend.node.dmesg.clear", new Object[0]);
        assertTrue(keys, keys.contains("showing installed handlers"));

        String name = NAME + "-hv";
        Object[] vm = {"vm",
            new Object[] {"name", name},
            new Object[] {"memory", 64},
            new Object[] {"vcpus", 1},
            new Object[] {"image", new Object[] {"linux", new Object[] {"kernel", "/boot/vmlinuz-2.6.18-xen"}}}};
        assertEquals("", legacyPort.execute("xend.domain.new", new Object[] {vm}));
        assertEquals("", legacyPort.execute("xend.domain.start", new Object[] {name, false}));
        assertEquals("", legacyPort.execute("xend.domain.maxmem_set", new Object[] {name, 256}));
        assertEquals(256, value((Object[]) legacyPort.execute("xend.domain", new Object[] {name}), "maxmem"));
        assertFault(2, legacyPort, "xend.domain.maxmem_set", name, 16);

        Path dumps = Files.createTempDirectory("legacy-it-dump");
        Path core = dumps.resolve(name + ".core");
        assertEquals("", legacyPort.execute("xend.domain.dump", new Object[] {name, core.toString(), false, true}));
        assertTrue("the core file is written", Files.size(core) > 0);
        assertEquals("a crash dump destroys the domain; the managed domain stays, halted", 0,
                value((Object[]) legacyPort.execute("xend.domain", new Object[] {name}), "status"));
        assertFault(2, legacyPort, "xend.domain.dump", name, core.toString(), false, false);
        assertEquals("", legacyPort.execute("xend.domain.delete", new Object[] {name}));
        Files.delete(core);
        Files.delete(dumps);
    }

    /** The legacy component may come up after the Xen API one; until then xend.* is unknown or refused. */
    private static void awaitLegacyApi(XmlRpcClient client) throws Exception {
        long deadline = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                Object answer = client.execute("xend.node.info", new Object[0]);
                if (answer instanceof Object[]) {
                    return;
                }
                last = new IllegalStateException("answered " + answer);
            } catch (XmlRpcException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the legacy xm API did not answer within " + SERVICE_TIMEOUT_MS + " ms", last);
    }

    private static XmlRpcClient client(String port) throws Exception {
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(new URL("http://127.0.0.1:" + port + "/RPC2"));
        XmlRpcClient client = new XmlRpcClient();
        client.setConfig(config);
        return client;
    }

    private static List<Object> call(XmlRpcClient client, String method, Object... params) throws Exception {
        return Arrays.asList((Object[]) client.execute(method, params));
    }

    private static void assertFault(int code, XmlRpcClient client, String method, Object... params) throws Exception {
        try {
            Object answer = client.execute(method, params);
            fail(method + " answered " + answer + " instead of fault " + code);
        } catch (XmlRpcException e) {
            assertEquals(method + ": " + e.getMessage(), code, e.code);
        }
    }

    private static Map<Object, Object> pairs(Object[] list) {
        Map<Object, Object> map = new HashMap<>();
        List<Object> keys = new ArrayList<>();
        for (Object pair : list) {
            Object[] kv = (Object[]) pair;
            map.put(kv[0], kv[1]);
            keys.add(kv[0]);
        }
        assertEquals("system", keys.get(0));
        return map;
    }

    /** Xend's sxp.child_value: the value of the first (key value) list. */
    private static Object value(Object[] sxp, String key) {
        for (Object element : sxp) {
            if (element instanceof Object[] list && list.length > 1 && key.equals(list[0])) {
                return list[1];
            }
        }
        throw new AssertionError("no (" + key + " ...) in " + Arrays.deepToString(sxp));
    }
}
