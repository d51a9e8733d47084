package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.Test;

/**
 * What survives the daemon's own life: a VM with on_xend_stop=suspend and on_xend_start=resume is suspended by a
 * clean stop and comes back Running after the restart; a kill -9 leaves running domains running (Xen domains outlive
 * their toolstack), and the restarted daemon takes them back, with every config.sxp readable.
 */
public class LifecycleDaemonIT {

    /** A managed VM as Xend kept it on disk, with the daemon start and stop actions of the issue. */
    private static void writeManagedConfig(Path state, String uuid, String name) throws Exception {
        Path dir = Files.createDirectories(state.resolve("domains").resolve(uuid));
        Files.writeString(dir.resolve("config.sxp"), "(domain (uuid " + uuid + ") (name " + name + ")"
                + " (memory 96) (maxmem 96) (vcpus 1) (on_xend_stop suspend) (on_xend_start resume)"
                + " (image (linux (kernel /boot/vmlinuz-xenU) (args 'root=/dev/xvda1'))))\n", StandardCharsets.UTF_8);
    }

    @Test
    public void cleanStopSuspendsAndStartResumes() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.create("stop-suspend")) {
            String vm = UUID.randomUUID().toString();
            writeManagedConfig(daemon.stateDir(), vm, "sleeper");
            daemon.start();
            Api api = new Api(daemon);
            api.value("VM.start", vm, false);
            assertEquals("Running", api.value("VM.get_power_state", vm));

            daemon.stop();
            assertTrue("a clean stop suspended the VM into its checkpoint",
                    Files.isRegularFile(daemon.stateDir().resolve("domains").resolve(vm).resolve("checkpoint.chk")));
            daemon.start();
            api = new Api(daemon);
            for (int i = 0; i < 200 && !"Running".equals(api.value("VM.get_power_state", vm)); i++) {
                Thread.sleep(50);
            }
            Map<?, ?> record = (Map<?, ?>) api.value("VM.get_record", vm);
            assertEquals("on_xend_start=resume brings it back", "Running", record.get("power_state"));
            assertTrue(Integer.parseInt((String) record.get("domid")) > 0);
            Map<?, ?> metrics = (Map<?, ?>) api.value("VM_metrics.get_record", record.get("metrics"));
            assertEquals("its memory comes back from the image", Long.toString(96L << 20), metrics.get("memory_actual"));
            assertFalse("the checkpoint is used up",
                    Files.exists(daemon.stateDir().resolve("domains").resolve(vm).resolve("checkpoint.chk")));
        }
    }

    @Test
    public void aKilledDaemonTakesItsDomainsBack() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.create("kill-9")) {
            daemon.start();
            Api api = new Api(daemon);
            String vm = (String) api.value("VM.create", Map.of("name_label", "survivor",
                    "memory_static_max", Long.toString(64L << 20), "memory_dynamic_max", Long.toString(64L << 20),
                    "memory_dynamic_min", Long.toString(64L << 20), "memory_static_min", "0",
                    "VCPUs_max", "1", "VCPUs_at_startup", "1", "other_config", Map.of("k", "v")));
            api.value("VM.start", vm, false);
            String domid = (String) api.value("VM.get_domid", vm);

            daemon.kill();
            daemon.start();
            api = new Api(daemon);
            Map<?, ?> record = (Map<?, ?>) api.value("VM.get_record", vm);
            assertEquals("Running", record.get("power_state"));
            assertEquals("the same domain, re-adopted", domid, record.get("domid"));
            assertEquals(Map.of("k", "v"), record.get("other_config"));
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(daemon.stateDir().resolve("domains"),
                    Files::isDirectory)) {
                for (Path dir : dirs) {
                    String text = Files.readString(dir.resolve("config.sxp"));
                    assertTrue("config.sxp of " + dir + " is whole", text.startsWith("(domain") && text.trim().endsWith(")"));
                }
            }
            api.value("VM.hard_shutdown", vm);
        }
    }

    /** The Xen API over HTTP as root. */
    private static final class Api {
        private final XmlRpcClient client = new XmlRpcClient();
        private final String session;

        Api(DaemonProcess daemon) throws Exception {
            XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
            config.setServerURL(new URL(daemon.xenApiUrl()));
            client.setConfig(config);
            session = (String) call("session.login_with_password", "root", daemon.rootPassword());
        }

        Object value(String method, Object... args) throws Exception {
            Object[] params = new Object[args.length + 1];
            params[0] = session;
            System.arraycopy(args, 0, params, 1, args.length);
            return call(method, params);
        }

        private Object call(String method, Object... params) throws Exception {
            Map<?, ?> response = (Map<?, ?>) client.execute(method, params);
            assertEquals(method + " " + response, "Success", response.get("Status"));
            return response.get("Value");
        }
    }
}
