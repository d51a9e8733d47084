package org.xend.hypervisor.sim;

import java.util.Map;

/** The simulated xenstore and hypervisor as plain objects (their lifecycle methods are package-private). */
public final class SimBackend implements AutoCloseable {
    public final SimXenStore xenstore = new SimXenStore();
    public final SimHypervisor hypervisor;

    public SimBackend(Map<String, Object> settings) {
        xenstore.activate();
        hypervisor = new SimHypervisor(xenstore, settings);
    }

    @Override
    public void close() {
        hypervisor.deactivate();
        xenstore.deactivate();
    }
}
