package org.xend.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.xend.api.CallContext;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.model.XenApiModel;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.spi.auth.SessionManager;
import org.xend.core.Dispatcher;
import org.xend.core.ObjectStoreImpl;
import org.xend.core.TaskManager;

/**
 * The daemon's {@code VM.get_record} path assembled without OSGi: the real object store, dispatcher and task manager
 * over the Xen API datamodel, one running PV guest created directly in the store, and a session manager that accepts
 * exactly one session. Shared by the JMH benchmark and {@link StandaloneFrontDoor}.
 */
public final class GetRecordFixture {

    public static final String SESSION = "4b4d8f6c-2a51-4f0e-9a3c-5d2b7c1e9f00";
    public static final String VM = "7f3c2b1a-9d8e-4c6b-a5f4-e3d2c1b0a987";
    static final String HOST = "c0ffee00-1111-4222-8333-944455556666";
    static final String METRICS = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
    private static final int MAX_FINISHED_TASKS = 16;

    private GetRecordFixture() {
    }

    /** A dispatcher over a fresh store holding the guest; {@code taskWorkers} runs Async calls (none here). */
    public static Dispatcher dispatcher(ExecutorService taskWorkers) {
        ObjectStoreImpl store = new ObjectStoreImpl(XenApiModel.datamodel());
        store.create(XenApiModel.VM, VM, runningPvGuest());
        TaskManager tasks = new TaskManager(store, taskWorkers, MAX_FINISHED_TASKS);
        return new Dispatcher(store, new OneSession(SESSION), className -> null, tasks);
    }

    /** The XML-RPC request body of {@code VM.get_record(session, vm)}, written as Python's xmlrpc.client does. */
    public static String getRecordRequest(String session, String vm) {
        return "<?xml version='1.0'?>\n<methodCall>\n<methodName>VM.get_record</methodName>\n<params>\n"
                + "<param>\n<value><string>" + session + "</string></value>\n</param>\n"
                + "<param>\n<value><string>" + vm + "</string></value>\n</param>\n"
                + "</params>\n</methodCall>\n";
    }

    /** A started PV guest as the domain layer keeps it: store values are Java-typed (ints are Longs). */
    public static Map<String, Object> runningPvGuest() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("power_state", "Running");
        f.put("name_label", "bench-guest-01");
        f.put("name_description", "PV guest used by the get_record benchmark");
        f.put("user_version", 1L);
        f.put("is_a_template", false);
        f.put("auto_power_on", false);
        f.put("resident_on", HOST);
        f.put("memory_static_max", 512L << 20);
        f.put("memory_dynamic_max", 512L << 20);
        f.put("memory_dynamic_min", 256L << 20);
        f.put("memory_static_min", 128L << 20);
        f.put("VCPUs_params", orderedMap("weight", "256", "cap", "0"));
        f.put("VCPUs_max", 2L);
        f.put("VCPUs_at_startup", 2L);
        f.put("actions_after_shutdown", "destroy");
        f.put("actions_after_reboot", "restart");
        f.put("actions_after_crash", "restart");
        f.put("PV_kernel", "/boot/vmlinuz-2.6.18-xenU");
        f.put("PV_ramdisk", "/boot/initrd-2.6.18-xenU.img");
        f.put("PV_args", "root=/dev/xvda1 ro console=hvc0 xencons=tty");
        f.put("platform", orderedMap("acpi", "1", "apic", "1", "pae", "1", "nx", "0", "localtime", "0"));
        f.put("other_config", orderedMap("owner", "benchmarks", "purpose", "get_record load",
                "created_by", "run.sh", "environment", "test"));
        f.put("domid", 5L);
        f.put("metrics", METRICS);
        f.put("allowed_operations", List.of("pause", "clean_shutdown", "clean_reboot", "hard_shutdown",
                "hard_reboot", "suspend"));
        f.put("current_operations", Map.of());
        return f;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Accepts one session, held by root; logging in or out is refused. */
    static final class OneSession implements SessionManager {
        private final SessionInfo session;

        OneSession(String ref) {
            session = new SessionInfo(ref, "root", Role.POOL_ADMIN, true);
        }

        @Override
        public SessionInfo login(String user, String password, String originator, CallContext context) {
            throw new XenApiException(ErrorCodes.SESSION_AUTHENTICATION_FAILED);
        }

        @Override
        public void logout(String sessionRef) {
            throw new XenApiException(ErrorCodes.SESSION_INVALID, sessionRef);
        }

        @Override
        public SessionInfo check(String sessionRef) {
            if (!session.ref().equals(sessionRef)) {
                throw new XenApiException(ErrorCodes.SESSION_INVALID, sessionRef);
            }
            return session;
        }
    }
}
