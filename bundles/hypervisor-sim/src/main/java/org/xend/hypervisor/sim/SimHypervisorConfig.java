package org.xend.hypervisor.sim;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the simulated host (PID {@value SimHypervisor#PID}); environment variables override it. The
 * components also read {@code org.xend.daemon}, whose {@code stateDir} gives the default state directory.
 */
@ObjectClassDefinition(id = SimHypervisor.PID, pid = SimHypervisor.PID, name = "Xend simulated hypervisor",
        description = "The host the simulated hypervisor pretends to be, and how its guests behave. "
                + "Topology, memory and the state directory apply when the component starts; the guest settings "
                + "apply at once.")
@interface SimHypervisorConfig {

    @AttributeDefinition(name = "State directory", required = false,
            description = "Where the simulated hypervisor keeps its domain table and xenstore tree, which outlive "
                    + "the daemon as Xen's do. Empty: 'sim' under the daemon's stateDir (org.xend.daemon). "
                    + "Env XEND_SIM_STATE_DIR.")
    String simStateDir() default "";

    @AttributeDefinition(name = "NUMA nodes", min = "1", description = "Env XEND_SIM_NR_NODES.")
    int nrNodes() default SimHostSettings.DEFAULT_NR_NODES;

    @AttributeDefinition(name = "Sockets per node", min = "1", description = "Env XEND_SIM_SOCKETS_PER_NODE.")
    int socketsPerNode() default SimHostSettings.DEFAULT_SOCKETS_PER_NODE;

    @AttributeDefinition(name = "Cores per socket", min = "1",
            description = "Env XEND_SIM_CPUS sets the total number of CPUs instead (as cores of one socket).")
    int coresPerSocket() default SimHostSettings.DEFAULT_CORES_PER_SOCKET;

    @AttributeDefinition(name = "Threads per core", min = "1", description = "Env XEND_SIM_THREADS_PER_CORE.")
    int threadsPerCore() default SimHostSettings.DEFAULT_THREADS_PER_CORE;

    @AttributeDefinition(name = "CPU speed (MHz)", min = "1", description = "Env XEND_SIM_CPU_MHZ.")
    int cpuMhz() default SimHostSettings.DEFAULT_CPU_MHZ;

    @AttributeDefinition(name = "Host memory (MiB)", min = "1", description = "Env XEND_SIM_MEMORY_MIB.")
    long memoryMiB() default SimHostSettings.DEFAULT_MEMORY_MIB;

    @AttributeDefinition(name = "Domain-0 memory (MiB)", min = "1", description = "Env XEND_SIM_DOM0_MEMORY_MIB.")
    long dom0MemoryMiB() default SimHostSettings.DEFAULT_DOM0_MEMORY_MIB;

    @AttributeDefinition(name = "Scheduler", options = {
            @Option(label = "Credit scheduler (Xen 3.1's default)", value = "credit"),
            @Option(label = "Simple EDF scheduler", value = "sedf")},
            description = "The scheduler Xen runs, as its sched= boot option chooses it: only its per-domain calls "
                    + "work (xm sched-credit or xm sched-sedf). Applies when the component starts. "
                    + "Env XEND_SIM_SCHEDULER.")
    String scheduler() default SimHypervisor.CREDIT;

    @AttributeDefinition(name = "Guest shutdown delay (ms)", min = "0",
            description = "Running time a guest takes to act on control/shutdown, control/sysrq or an NMI. "
                    + "Env XEND_SIM_SHUTDOWN_DELAY_MS.")
    long guestShutdownDelayMs() default SimHostSettings.DEFAULT_GUEST_SHUTDOWN_DELAY_MS;

    @AttributeDefinition(name = "Guest vCPU load", min = "0", max = "1",
            description = "Share of wall time a running vCPU is busy. Env XEND_SIM_GUEST_VCPU_LOAD.")
    double guestVcpuLoad() default SimHostSettings.DEFAULT_GUEST_VCPU_LOAD;
}
