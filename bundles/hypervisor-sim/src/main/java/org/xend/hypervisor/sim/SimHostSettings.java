package org.xend.hypervisor.sim;

import java.util.Map;

import org.xend.api.config.Settings;

/** The resolved settings of the simulated host: environment variable, then configuration, then default. */
record SimHostSettings(int nrNodes, int socketsPerNode, int coresPerSocket, int threadsPerCore, int cpuMhz,
                       long memoryMiB, long dom0MemoryMiB, long guestShutdownDelayMs, double guestVcpuLoad) {

    static final int DEFAULT_NR_NODES = 1;
    static final int DEFAULT_SOCKETS_PER_NODE = 1;
    static final int DEFAULT_CORES_PER_SOCKET = 4;
    static final int DEFAULT_THREADS_PER_CORE = 1;
    static final int DEFAULT_CPU_MHZ = 2400;
    static final long DEFAULT_MEMORY_MIB = 16384;
    static final long DEFAULT_DOM0_MEMORY_MIB = 1024;
    static final long DEFAULT_GUEST_SHUTDOWN_DELAY_MS = 200;
    static final double DEFAULT_GUEST_VCPU_LOAD = 0.05;

    static final String ENV_CPUS = "XEND_SIM_CPUS";

    SimHostSettings {
        requirePositive("nrNodes", nrNodes);
        requirePositive("socketsPerNode", socketsPerNode);
        requirePositive("coresPerSocket", coresPerSocket);
        requirePositive("threadsPerCore", threadsPerCore);
        requirePositive("cpuMhz", cpuMhz);
        requirePositive("memoryMiB", memoryMiB);
        requirePositive("dom0MemoryMiB", dom0MemoryMiB);
        if (dom0MemoryMiB > memoryMiB) {
            throw new IllegalArgumentException(
                    "dom0MemoryMiB (" + dom0MemoryMiB + ") exceeds the host's memoryMiB (" + memoryMiB + ")");
        }
        if (guestShutdownDelayMs < 0) {
            throw new IllegalArgumentException("guestShutdownDelayMs must not be negative: " + guestShutdownDelayMs);
        }
        if (!(guestVcpuLoad >= 0 && guestVcpuLoad <= 1)) {
            throw new IllegalArgumentException("guestVcpuLoad must be between 0 and 1: " + guestVcpuLoad);
        }
    }

    static SimHostSettings from(Map<String, ?> props, Map<String, String> env) {
        String cpus = env.get(ENV_CPUS);
        boolean flatCpus = cpus != null && !cpus.isBlank();
        String load = Settings.value(props, env, "guestVcpuLoad", "XEND_SIM_GUEST_VCPU_LOAD",
                Double.toString(DEFAULT_GUEST_VCPU_LOAD));
        double vcpuLoad;
        try {
            vcpuLoad = Double.parseDouble(load);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting guestVcpuLoad must be a number, got '" + load + "'");
        }
        return new SimHostSettings(
                flatCpus ? 1 : Settings.intValue(props, env, "nrNodes", "XEND_SIM_NR_NODES", DEFAULT_NR_NODES),
                flatCpus ? 1 : Settings.intValue(props, env, "socketsPerNode", "XEND_SIM_SOCKETS_PER_NODE",
                        DEFAULT_SOCKETS_PER_NODE),
                Settings.intValue(props, env, "coresPerSocket", ENV_CPUS, DEFAULT_CORES_PER_SOCKET),
                flatCpus ? 1 : Settings.intValue(props, env, "threadsPerCore", "XEND_SIM_THREADS_PER_CORE",
                        DEFAULT_THREADS_PER_CORE),
                Settings.intValue(props, env, "cpuMhz", "XEND_SIM_CPU_MHZ", DEFAULT_CPU_MHZ),
                Settings.longValue(props, env, "memoryMiB", "XEND_SIM_MEMORY_MIB", DEFAULT_MEMORY_MIB),
                Settings.longValue(props, env, "dom0MemoryMiB", "XEND_SIM_DOM0_MEMORY_MIB", DEFAULT_DOM0_MEMORY_MIB),
                Settings.longValue(props, env, "guestShutdownDelayMs", "XEND_SIM_SHUTDOWN_DELAY_MS",
                        DEFAULT_GUEST_SHUTDOWN_DELAY_MS),
                vcpuLoad);
    }

    int nrCpus() {
        return nrNodes * socketsPerNode * coresPerSocket * threadsPerCore;
    }

    long totalMemoryKib() {
        return memoryMiB * 1024;
    }

    long dom0MemoryKib() {
        return dom0MemoryMiB * 1024;
    }

    /** True when both describe the same hardware (topology, speed and memory). */
    boolean sameHardwareAs(SimHostSettings other) {
        return nrNodes == other.nrNodes && socketsPerNode == other.socketsPerNode
                && coresPerSocket == other.coresPerSocket && threadsPerCore == other.threadsPerCore
                && cpuMhz == other.cpuMhz && memoryMiB == other.memoryMiB && dom0MemoryMiB == other.dom0MemoryMiB;
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("setting " + name + " must be positive, got " + value);
        }
    }
}
