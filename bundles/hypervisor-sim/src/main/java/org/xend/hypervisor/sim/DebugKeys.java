package org.xend.hypervisor.sim;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.xend.api.spi.hypervisor.PhysInfo;

/**
 * The debug keys of the simulated Xen console, printing what Xen 3.1's handlers print for the parts the simulator
 * has: {@code h} (the handlers), {@code m} (free memory), {@code q} (the domains: pages, handle, I/O ports, vCPUs),
 * {@code r} (run queues) and {@code t} (clocks). Keys without a handler do nothing, as in Xen.
 */
final class DebugKeys {

    /** What the handlers read of the simulated host. */
    interface Host {
        PhysInfo physinfo();

        Collection<DomainRecord> domains();

        String scheduler();

        long nowNs();
    }

    private final ConsoleRing ring;
    private final Host host;
    private final Map<Character, Handler> handlers = new LinkedHashMap<>();

    private record Handler(String description, Consumer<Character> action) {
    }

    DebugKeys(ConsoleRing ring, Host host) {
        this.ring = ring;
        this.host = host;
        handlers.put('h', new Handler("show this message", this::showHandlers));
        handlers.put('m', new Handler("memory info", this::memoryInfo));
        handlers.put('q', new Handler("dump domain (and guest debug) info", this::dumpDomains));
        handlers.put('r', new Handler("dump run queues", this::dumpRunQueues));
        handlers.put('t', new Handler("display multi-cpu clock info", this::readClocks));
    }

    void press(String keys) {
        for (char key : keys.toCharArray()) {
            Handler handler = handlers.get(key);
            if (handler != null) {
                handler.action().accept(key);
            }
        }
    }

    private void showHandlers(char key) {
        ring.println("'" + key + "' pressed -> showing installed handlers");
        handlers.keySet().stream().sorted().forEach(k -> ring.println(
                String.format(" key '%c' (ascii '%02x') => %s", k, (int) k, handlers.get(k).description())));
    }

    private void memoryInfo(char key) {
        PhysInfo phys = host.physinfo();
        ring.println("Physical memory information:");
        ring.println("    Xen heap: 0kB free");
        ring.println("    Dom heap: " + phys.freeMemoryKib() + "kB free");
    }

    private void dumpDomains(char key) {
        long now = host.nowNs();
        ring.println(String.format("'%c' pressed -> dumping domain info (now=0x%X:%08X)", key, now >>> 32,
                now & 0xFFFFFFFFL));
        for (DomainRecord d : sorted(host.domains())) {
            ring.println("General information for domain " + d.domid() + ":");
            ring.println("    nr_pages=" + d.memoryKib() / 4 + " shadow_pages=" + d.controls().shadowPages()
                    + " max_pages=" + d.maxMemoryKib() / 4);
            ring.println("    handle=" + d.uuid());
            ring.println("Rangesets belonging to domain " + d.domid() + ":");
            ring.println("    " + String.format("%-10s", "I/O Ports") + " {" + d.controls().ioports().stream()
                    .map(r -> " " + r).collect(Collectors.joining(",")) + " }");
            ring.println("VCPU information and callbacks for domain " + d.domid() + ":");
            for (int v = 0; v < d.maxVcpus(); v++) {
                DomainRecord.Vcpu vcpu = d.vcpus().get(v);
                ring.println("    VCPU" + v + ": CPU" + vcpu.pcpu() + " [has=" + (d.vcpuRunning(v) ? 'T' : 'F')
                        + "] cpu_affinity=" + (vcpu.affinity().isEmpty() ? "{all}" : cpus(vcpu.affinity())));
            }
        }
    }

    private void dumpRunQueues(char key) {
        ring.println("Scheduler: " + schedulerName(host.scheduler()));
        int nrCpus = host.physinfo().nrCpus();
        List<DomainRecord> domains = sorted(host.domains());
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            StringBuilder queue = new StringBuilder();
            for (DomainRecord d : domains) {
                for (int v = 0; v < d.onlineVcpus(); v++) {
                    if (d.vcpus().get(v).pcpu() == cpu && d.active()) {
                        queue.append(' ').append(d.domid()).append('.').append(v);
                    }
                }
            }
            ring.println("CPU[" + String.format("%02d", cpu) + "] runq:" + (queue.length() == 0 ? " (idle)" : queue));
        }
    }

    private void readClocks(char key) {
        long now = host.nowNs();
        ring.println("Min = " + now + " ; Max = " + now + " ; Diff = 0 (0 microseconds)");
    }

    /** The scheduler's name as Xen's boot banner gives it. */
    static String schedulerName(String scheduler) {
        return SedfScheduler.NAME.equals(scheduler) ? "Simple EDF Scheduler (sedf)" : "SMP Credit Scheduler (credit)";
    }

    private static List<DomainRecord> sorted(Collection<DomainRecord> domains) {
        return domains.stream().sorted(Comparator.comparingInt(DomainRecord::domid)).toList();
    }

    private static String cpus(List<Integer> cpus) {
        return cpus.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }
}
