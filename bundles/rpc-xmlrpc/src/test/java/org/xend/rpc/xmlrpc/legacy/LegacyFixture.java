package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.function.Executable;
import org.xend.api.CallContext;
import org.xend.api.domain.DomainService;
import org.xend.domain.DomainSettingsValues;
import org.xend.domain.SimDomainLayer;
import org.xend.hypervisor.sim.SimHypervisor;
import org.xend.hypervisor.sim.SimXenStore;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/**
 * The legacy API on the real domain layer: simulated xenstore and hypervisor, the object store, XendDomain with its
 * managed domains under a temporary state directory, and the sxp format.
 */
final class LegacyFixture implements AutoCloseable {

    static final CallContext CONTEXT = CallContext.of("test", "127.0.0.1");

    final SimXenStore xenstore;
    final SimHypervisor hypervisor;
    final DomainService domains;
    final LegacyXmApi api;
    private final SimDomainLayer layer;

    LegacyFixture(Path state) throws Exception {
        this(state, Map.of());
    }

    /** With more settings of the simulated hypervisor (e.g. its scheduler). */
    LegacyFixture(Path state, Map<String, Object> simSettings) throws Exception {
        this(new SimDomainLayer(simSettings(state, simSettings), DomainSettingsValues.of(2, 20, 5), state));
    }

    /** With the vbd and vif controllers, answered by the simulated device backends. */
    static LegacyFixture withDisksAndNics(Path state) throws Exception {
        return new LegacyFixture(SimDomainLayer.withDisksAndNics(simSettings(state, Map.of()),
                DomainSettingsValues.of(2, 20, 5), state));
    }

    private LegacyFixture(SimDomainLayer layer) {
        this.layer = layer;
        xenstore = layer.sim.xenstore;
        hypervisor = layer.sim.hypervisor;
        domains = layer.domains();
        api = new LegacyXmApi(domains, layer.sxp, hypervisor);
    }

    private static Map<String, Object> simSettings(Path state, Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 20, "stateDir", state.resolve("sim").toString()));
        settings.putAll(more);
        return settings;
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

    /** Runs {@code checks} while Karaf's log directory, where the domain layer reads the log, is {@code dir}. */
    static void withKarafLogIn(Path dir, Executable checks) throws Throwable {
        String karafLog = System.getProperty("karaf.log");
        System.setProperty("karaf.log", dir.toString());
        try {
            checks.execute();
        } finally {
            if (karafLog == null) {
                System.clearProperty("karaf.log");
            } else {
                System.setProperty("karaf.log", karafLog);
            }
        }
    }

    @Override
    public void close() {
        layer.close();
    }
}
