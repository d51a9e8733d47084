package org.xend.relocation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xend.api.domain.DomainService;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.domain.DomainSettingsValues;
import org.xend.domain.SimDomainLayer;
import org.xend.hypervisor.sim.SimHypervisor;

/**
 * One daemon in a test: the real domain layer on its own simulated hypervisor, with the relocation client and,
 * when asked, a relocation server on a loopback port the system chooses.
 */
final class Host implements AutoCloseable {

    private final SimDomainLayer layer;
    final SimHypervisor hypervisor;
    final DomainService domains;
    final SocketRelocationClient client;
    RelocationServer server;

    /** A host with {@code memoryMiB} of memory (1024 of them for Domain-0) and no relocation server. */
    Host(Path state, int memoryMiB, Duration timeout) throws Exception {
        layer = new SimDomainLayer(Map.of("memoryMiB", memoryMiB, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 20, "stateDir", state.resolve("sim").toString()),
                DomainSettingsValues.of(2, 20, 5), state);
        hypervisor = layer.sim.hypervisor;
        domains = layer.domains();
        client = new SocketRelocationClient(settings(false, "", timeout));
        layer.runtime().useRelocation(() -> client);
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
        layer.close();
    }
}
