package org.xend.hypervisor.sim;

import org.xend.api.spi.xenstore.XenStore;

/** The simulated xenstore with domain 0's simulated backends, as plain objects for the controllers' tests. */
public final class SimDevicesFixture implements AutoCloseable {
    private final SimXenStore store = new SimXenStore();
    private SimDeviceBackends backends;

    /** {@code withBackends}: false to leave every device unanswered, as with broken hotplug scripts. */
    public SimDevicesFixture(boolean withBackends) {
        store.activate();
        if (withBackends) {
            backends = new SimDeviceBackends(store);
        }
    }

    public XenStore xenstore() {
        return store;
    }

    @Override
    public void close() {
        if (backends != null) {
            backends.close();
        }
        store.deactivate();
    }
}
