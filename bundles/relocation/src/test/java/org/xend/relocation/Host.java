package org.xend.relocation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.xend.api.domain.DomainService;
import org.xend.api.model.XenApiModel;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.core.ObjectStoreImpl;
import org.xend.domain.DomainRuntime;
import org.xend.domain.DomainSettings;
import org.xend.hypervisor.sim.SimHypervisor;
import org.xend.hypervisor.sim.SimXenStore;

/**
 * One daemon in a test: the real domain layer on its own simulated hypervisor, with the relocation client and,
 * when asked, a relocation server on a loopback port the system chooses.
 */
final class Host implements AutoCloseable {

    final SimXenStore xenstore = new SimXenStore();
    final SimHypervisor hypervisor;
    final ExecutorService executor = Executors.newCachedThreadPool();
    final DomainRuntime runtime;
    final DomainService domains;
    private final ObjectStoreImpl store;
    final SocketRelocationClient client;
    RelocationServer server;

    /** A host with {@code memoryMiB} of memory (1024 of them for Domain-0) and no relocation server. */
    Host(Path state, int memoryMiB, Duration timeout) throws Exception {
        lifecycle(xenstore, "activate");
        hypervisor = new SimHypervisor(xenstore, Map.of("memoryMiB", memoryMiB, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 20, "stateDir", state.resolve("sim").toString()));
        store = new ObjectStoreImpl(XenApiModel.datamodel());
        runtime = DomainRuntime.start(store, hypervisor, xenstore, new SxpConfigFormat(), settings(), state,
                executor);
        runtime.persisters().forEach(store::registerPersister);
        domains = runtime.service();
        client = new SocketRelocationClient(settings(false, "", timeout));
        runtime.useRelocation(() -> client);
    }

    /** Starts this host's relocation server, taking migrations from the hosts {@code hostsAllow} matches. */
    Host serve(String hostsAllow, Duration timeout) throws Exception {
        server = new RelocationServer(domains, settings(true, hostsAllow, timeout));
        return this;
    }

    int port() {
        return server.port();
    }

    static RelocationSettings settings(boolean server, String hostsAllow, Duration timeout) {
        return new RelocationSettings(server, "127.0.0.1", server ? 0 : RelocationSettings.DEFAULT_PORT,
                HostsAllow.parse(hostsAllow), timeout, 2);
    }

    /** Defines a managed VM and starts it. */
    String startManaged(String name, long mib) {
        String vm = domains.define(config(java.util.UUID.randomUUID().toString(), name, mib));
        domains.start(vm, false);
        return vm;
    }

    /** Starts a VM that is not managed (xm create). */
    String createStarted(String uuid, String name, long mib) {
        return domains.createStarted(config(uuid, name, mib), false);
    }

    static VmConfig config(String uuid, String name, long mib) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("uuid", uuid);
        f.put("name_label", name);
        f.put("memory_static_max", mib << 20);
        f.put("memory_dynamic_max", mib << 20);
        f.put("memory_dynamic_min", mib << 20);
        f.put("memory_static_min", 0L);
        f.put("VCPUs_max", 2L);
        f.put("VCPUs_at_startup", 2L);
        f.put("PV_kernel", "/boot/vmlinuz");
        return new VmConfig(f, Map.of(), List.of());
    }

    String powerState(String vm) {
        return domains.view(vm).powerState();
    }

    /** The hypervisor's guest domains (Domain-0 left out). */
    List<DomainInfo> guests() {
        return hypervisor.domains().stream().filter(d -> d.domid() != 0).toList();
    }

    long freeMemoryKib() {
        return hypervisor.physinfo().freeMemoryKib();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.deactivate();
        }
        client.deactivate();
        runtime.stopActions();
        // the managed domains' journal writes behind: closed here, it cannot write into a directory being deleted
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
