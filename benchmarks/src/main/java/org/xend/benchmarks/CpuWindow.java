package org.xend.benchmarks;

import java.io.IOException;

/**
 * The CPU time a load generator's measured window cost: the server process's (when its pid is known) and this
 * process's own, read at {@link #open()} and {@link #close()}.
 */
final class CpuWindow {

    private final ProcessCpu server;
    private final ProcessCpu client = new ProcessCpu(ProcessHandle.current().pid());
    private ProcessCpu.Times serverBefore;
    private ProcessCpu.Times serverAfter;
    private long clientBefore;
    private long clientAfter;

    /** {@code serverPid} of 0 or less: the server's CPU is not measured. */
    CpuWindow(long serverPid) {
        this.server = serverPid > 0 ? new ProcessCpu(serverPid) : null;
    }

    void open() throws IOException {
        serverBefore = server == null ? null : server.times();
        clientBefore = client.cpuNanos();
    }

    void close() throws IOException {
        serverAfter = server == null ? null : server.times();
        clientAfter = client.cpuNanos();
    }

    /** The server's CPU time in the window, or null when it was not measured. */
    ProcessCpu.Times serverTimes() {
        return serverBefore == null ? null : serverAfter.minus(serverBefore);
    }

    long clientNanos() {
        return clientAfter - clientBefore;
    }
}
