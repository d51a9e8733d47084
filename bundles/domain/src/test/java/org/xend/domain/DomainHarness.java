package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.xend.api.CallContext;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.model.XenApiModel;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ClassImplementation;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.core.Dispatcher;
import org.xend.core.ObjectStoreImpl;
import org.xend.core.TaskClass;
import org.xend.core.TaskManager;
import org.xend.hypervisor.sim.SimBackend;

/**
 * The domain layer on the simulated hypervisor, driven through the real dispatcher with one root session: what the
 * daemon is, minus the transports.
 */
final class DomainHarness implements AutoCloseable {

    static final String S = "session";
    static final String DOM0 = "00000000-0000-0000-0000-000000000000";

    final Path state;
    final SimBackend sim;
    final ExecutorService executor = Executors.newCachedThreadPool();
    private final DomainSettings settings;
    private final DeviceControllers controllers;
    DomainRuntime runtime;
    ObjectStoreImpl store;
    private Dispatcher api;

    DomainHarness(Path state, int shutdownTimeoutSeconds, int minimumRestartSeconds) throws Exception {
        this(state, shutdownTimeoutSeconds, minimumRestartSeconds, DeviceControllers.none());
    }

    /** With device controllers: configured devices are created, and answered by the simulated backends. */
    DomainHarness(Path state, int shutdownTimeoutSeconds, int minimumRestartSeconds, DeviceControllers controllers)
            throws Exception {
        this.controllers = controllers;
        this.state = state;
        this.settings = settings(shutdownTimeoutSeconds, minimumRestartSeconds);
        this.sim = new SimBackend(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024, "guestShutdownDelayMs", 50));
        boot();
    }

    private void boot() throws Exception {
        store = new ObjectStoreImpl(XenApiModel.datamodel());
        runtime = DomainRuntime.start(store, sim.hypervisor, sim.xenstore, new SxpConfigFormat(), settings, state,
                executor, controllers);
        runtime.persisters().forEach(store::registerPersister);
        Map<String, ClassImplementation> impls = new HashMap<>(runtime.implementations());
        TaskManager tasks = new TaskManager(store, executor, 50);
        impls.put("task", new TaskClass(tasks));
        api = new Dispatcher(store, new RootSessions(), impls::get, tasks);
    }

    /** The daemon stops cleanly (its stop actions run) and starts again on the same state. */
    void restartDaemon() throws Exception {
        runtime.stopActions();
        dropRuntime();
        boot();
        runtime.autoStart();
    }

    /** The daemon dies without running anything (kill -9) and starts again; the hypervisor keeps running. */
    void killAndRestartDaemon() throws Exception {
        dropRuntime();
        boot();
        runtime.autoStart();
    }

    private void dropRuntime() {
        runtime.persisters().forEach(store::unregisterPersister);
        runtime.detachFromHypervisor();
        runtime.forget();
    }

    @Override
    public void close() {
        runtime.stopActions();
        dropRuntime();
        executor.shutdownNow();
        sim.close();
    }

    Map<String, Object> call(String method, Object... params) {
        return api.call(CallContext.of("test", ""), method, new ArrayList<>(Arrays.asList(params)));
    }

    Object value(String method, Object... params) {
        Map<String, Object> r = call(method, params);
        assertEquals("Success", r.get("Status"), () -> method + " failed: " + r);
        return r.get("Value");
    }

    List<?> error(String method, Object... params) {
        Map<String, Object> r = call(method, params);
        assertEquals("Failure", r.get("Status"), () -> method + " succeeded: " + r);
        return (List<?>) r.get("ErrorDescription");
    }

    Map<?, ?> record(String vm) {
        return (Map<?, ?>) value("VM.get_record", S, vm);
    }

    String powerState(String vm) {
        return (String) record(vm).get("power_state");
    }

    int domid(String vm) {
        return Integer.parseInt((String) record(vm).get("domid"));
    }

    String create(String name, long mib) {
        return (String) value("VM.create", S, vmRecord(name, mib));
    }

    static Map<String, Object> vmRecord(String name, long mib) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name_label", name);
        r.put("memory_static_max", Long.toString(mib << 20));
        r.put("memory_dynamic_max", Long.toString(mib << 20));
        r.put("memory_dynamic_min", Long.toString(mib << 20));
        r.put("memory_static_min", "0");
        r.put("VCPUs_max", "2");
        r.put("VCPUs_at_startup", "2");
        r.put("PV_kernel", "/boot/vmlinuz");
        return r;
    }

    void awaitState(String vm, String wanted) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (wanted.equals(powerState(vm))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(vm + " never became " + wanted + "; it is " + powerState(vm));
    }

    private static DomainSettings settings(int shutdownTimeout, int minimumRestart) {
        return DomainSettingsValues.of(shutdownTimeout, minimumRestart, 10);
    }

    private static final class RootSessions implements SessionManager {
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
