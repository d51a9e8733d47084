package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.xend.api.XenApi;

/**
 * Inside the booted assembly, drives the first slice over HTTP with Apache XML-RPC's own client: the root password
 * generated at first start, login, Domain-0, a VM's life from create to destroy, and the exact errors.
 */
public class XenApiOverXmlRpcIT extends XendKarafTestSupport {

    @Override
    protected Option[] additionalOptions() {
        return new Option[] {
            mavenBundle("org.apache.servicemix.bundles", "org.apache.servicemix.bundles.ws-commons-util", "1.0.2_2"),
            mavenBundle("org.apache.servicemix.bundles", "org.apache.servicemix.bundles.xmlrpc-client", "3.1.3_1"),
        };
    }

    @Test
    public void sliceOverXmlRpc() throws Exception {
        awaitService(XenApi.class, null);
        Path passwordFile = Path.of(System.getProperty("karaf.data"), "xend", "auth", "root-password");
        assertTrue("the first start generates root's password into " + passwordFile, Files.isRegularFile(passwordFile));
        assertEquals("owner-only password file", "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();

        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(new URL("http://127.0.0.1:" + System.getProperty(XENAPI_PORT_PROPERTY) + "/"));
        XmlRpcClient client = new XmlRpcClient();
        client.setConfig(config);

        assertEquals(List.of("SESSION_AUTHENTICATION_FAILED"),
                error(client, "session.login_with_password", "root", "not-it"));
        String s = (String) value(client, "session.login_with_password", "root", password, "1.0", "pax-exam");

        Map<?, ?> dom0 = (Map<?, ?>) value(client, "VM.get_record", s, "00000000-0000-0000-0000-000000000000");
        assertEquals("Running", dom0.get("power_state"));
        assertEquals("0", dom0.get("domid"));

        Map<String, Object> record = new HashMap<>();
        record.put("name_label", "pax-guest");
        record.put("memory_static_max", Long.toString(128L << 20));
        record.put("memory_dynamic_max", Long.toString(128L << 20));
        record.put("memory_dynamic_min", Long.toString(128L << 20));
        record.put("memory_static_min", "0");
        record.put("VCPUs_max", "1");
        record.put("VCPUs_at_startup", "1");
        record.put("other_config", Map.of("test", "pax"));
        String vm = (String) value(client, "VM.create", s, record);
        Path configSxp = Path.of(System.getProperty("karaf.data"), "xend", "domains", vm, "config.sxp");
        assertTrue("managed config at " + configSxp, Eventually.fileAppears(configSxp));

        value(client, "VM.start", s, vm, false);
        assertEquals("Running", value(client, "VM.get_power_state", s, vm));
        assertEquals(List.of("VM_BAD_POWER_STATE", vm, "Halted", "Running"), error(client, "VM.start", s, vm, false));
        assertEquals(List.of("VM_BAD_POWER_STATE", vm, "Halted", "Running"), error(client, "VM.destroy", s, vm));
        value(client, "VM.pause", s, vm);
        assertEquals("Paused", value(client, "VM.get_power_state", s, vm));
        value(client, "VM.unpause", s, vm);
        value(client, "VM.clean_shutdown", s, vm);
        assertEquals("Halted", value(client, "VM.get_power_state", s, vm));

        String task = (String) value(client, "Async.VM.start", s, vm, false);
        Map<?, ?> taskRecord = null;
        for (int i = 0; i < 600; i++) {
            taskRecord = (Map<?, ?>) value(client, "task.get_record", s, task);
            if (!"pending".equals(taskRecord.get("status"))) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals("success", taskRecord.get("status"));
        value(client, "VM.hard_shutdown", s, vm);
        value(client, "VM.destroy", s, vm);
        assertEquals(List.of("HANDLE_INVALID", "VM", vm), error(client, "VM.get_record", s, vm));
        assertTrue("destroy removes the managed config", Eventually.pathGoes(configSxp.getParent()));

        assertEquals(List.of("SESSION_INVALID", "nope"), error(client, "VM.get_all", "nope"));
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_all", "1", "2"),
                error(client, "VM.get_all", s, "extra"));
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "VM.fly"), error(client, "VM.fly", s));
        value(client, "session.logout", s);
    }

    private static Object value(XmlRpcClient client, String method, Object... params) throws Exception {
        Map<?, ?> response = (Map<?, ?>) client.execute(method, params);
        assertEquals(method + " " + response, "Success", response.get("Status"));
        return response.get("Value");
    }

    private static List<Object> error(XmlRpcClient client, String method, Object... params) throws Exception {
        Map<?, ?> response = (Map<?, ?>) client.execute(method, params);
        assertEquals(method + " " + response, "Failure", response.get("Status"));
        return Arrays.asList((Object[]) response.get("ErrorDescription"));
    }
}
