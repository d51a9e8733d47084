package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.xend.api.CallContext;
import org.xend.api.model.XenApiModel;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.core.ObjectStoreImpl;
import org.xend.domain.DomainRuntime;
import org.xend.domain.DomainSettings;
import org.xend.hypervisor.sim.SimHypervisor;
import org.xend.hypervisor.sim.SimXenStore;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/**
 * The legacy API on the real domain layer: simulated xenstore and hypervisor, the object store, XendDomain with its
 * managed domains under a temporary state directory, and the sxp format.
 */
final class LegacyFixture implements AutoCloseable {

    static final CallContext CONTEXT = CallContext.of("test", "127.0.0.1");

    final Path state;
    final SimXenStore xenstore = new SimXenStore();
    final SimHypervisor hypervisor;
    final ExecutorService executor = Executors.newCachedThreadPool();
    final DomainRuntime runtime;
    final LegacyXmApi api;
    private final ObjectStoreImpl store;

    LegacyFixture(Path state, Path logFile) throws Exception {
        this(state, logFile, Map.of());
    }

    /** With more settings of the simulated hypervisor (e.g. its scheduler). */
    LegacyFixture(Path state, Path logFile, Map<String, Object> simSettings) throws Exception {
        this.state = state;
        lifecycle(xenstore, "activate");
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 20, "stateDir", state.resolve("sim").toString()));
        settings.putAll(simSettings);
        hypervisor = new SimHypervisor(xenstore, settings);
        store = new ObjectStoreImpl(XenApiModel.datamodel());
        SxpConfigFormat sxp = new SxpConfigFormat();
        runtime = DomainRuntime.start(store, hypervisor, xenstore, sxp, settings(), state, executor);
        runtime.persisters().forEach(store::registerPersister);
        api = new LegacyXmApi(runtime.service(), sxp, hypervisor, () -> logFile);
    }

    Object call(String method, Object... params) throws XmlRpcFault {
        return api.call(CONTEXT, method, Arrays.asList(params));
    }

    /** The fault the call must end in. */
    XmlRpcFault fault(String method, Object... params) {
        try {
            Object result = call(method, params);
            return fail(method + " answered " + result + " instead of a fault");
        } catch (XmlRpcFault expected) {
            return expected;
        }
    }

    void assertFault(int code, String message, String method, Object... params) {
        XmlRpcFault f = fault(method, params);
        assertEquals(code, f.code(), () -> method + ": " + f.getMessage());
        assertEquals(message, f.getMessage());
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String method, Object... params) throws XmlRpcFault {
        return (List<Object>) call(method, params);
    }

    @Override
    public void close() throws Exception {
        runtime.stopActions();
        // the managed domains' journal writes behind: closing it here keeps it from writing into a state
        // directory that is being deleted
        runtime.persisters().forEach(store::unregisterPersister);
        runtime.detachFromHypervisor();
        runtime.forget();
        executor.shutdownNow();
        lifecycle(hypervisor, "deactivate");
        lifecycle(xenstore, "deactivate");
    }

    /** The simulator's DS lifecycle methods are package-private: call them as the framework would. */
    private static void lifecycle(Object component, String name) throws Exception {
        Method m = component.getClass().getDeclaredMethod(name);
        m.setAccessible(true);
        m.invoke(component);
    }

    private static DomainSettings settings() {
        return new DomainSettings() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DomainSettings.class;
            }

            @Override
            public int shutdownTimeoutSeconds() {
                return 2;
            }

            @Override
            public int minimumRestartSeconds() {
                return 20;
            }

            @Override
            public int stopActionTimeoutSeconds() {
                return 5;
            }
        };
    }
}
