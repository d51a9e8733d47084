package org.xend.domain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.xend.api.domain.DomainService;
import org.xend.api.model.XenApiModel;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.core.ObjectStoreImpl;
import org.xend.devices.BlkifController;
import org.xend.devices.NetifController;
import org.xend.hypervisor.sim.SimBackend;
import org.xend.hypervisor.sim.SimDeviceBackends;

/**
 * The domain layer on the simulated hypervisor as the daemon assembles it, minus the transports: an object store
 * with the layer's persisters and a runtime over a state directory. The tests of the modules above the domain layer
 * (legacy API, shell, relocation) use it through this module's test-jar.
 */
public final class SimDomainLayer implements AutoCloseable {

    /** How long the vbd and vif controllers wait for the simulated backends. */
    private static final Map<String, Object> HOTPLUG = Map.of("hotplugTimeoutSeconds", 5);

    public final SimBackend sim;
    public final SxpConfigFormat sxp = new SxpConfigFormat();
    public final ExecutorService executor = Executors.newCachedThreadPool();
    private final DomainSettings settings;
    private final Path stateDir;
    private final SimDeviceBackends deviceBackends;
    private final DeviceControllers controllers;
    private ObjectStoreImpl store;
    private DomainRuntime runtime;

    /** Without device controllers: a VM's devices stay in its configuration. */
    public SimDomainLayer(Map<String, Object> simSettings, DomainSettings settings, Path stateDir)
            throws IOException {
        this(simSettings, settings, stateDir, false);
    }

    /** With the vbd and vif controllers, answered by the simulated device backends. */
    public static SimDomainLayer withDisksAndNics(Map<String, Object> simSettings, DomainSettings settings,
                                                  Path stateDir) throws IOException {
        return new SimDomainLayer(simSettings, settings, stateDir, true);
    }

    private SimDomainLayer(Map<String, Object> simSettings, DomainSettings settings, Path stateDir,
                           boolean disksAndNics) throws IOException {
        this.settings = settings;
        this.stateDir = stateDir;
        this.sim = new SimBackend(simSettings);
        if (disksAndNics) {
            deviceBackends = new SimDeviceBackends(sim.xenstore);
            controllers = new DeviceControllers();
            controllers.add(new BlkifController(sim.xenstore, HOTPLUG));
            controllers.add(new NetifController(sim.xenstore, HOTPLUG));
        } else {
            deviceBackends = null;
            controllers = DeviceControllers.none();
        }
        try {
            startRuntime();
        } catch (IOException | RuntimeException e) {
            stopSimulator();
            throw e;
        }
    }

    public DomainRuntime runtime() {
        return runtime;
    }

    public DomainService domains() {
        return runtime.service();
    }

    /** The daemon dies (no stop action runs) and starts again on the same hypervisor and state directory. */
    public void restartRuntime() throws IOException {
        dropRuntime();
        startRuntime();
    }

    @Override
    public void close() {
        runtime.stopActions();
        // the managed domains' journal writes behind: closed here, it cannot write into a directory being deleted
        dropRuntime();
        stopSimulator();
    }

    private void startRuntime() throws IOException {
        store = new ObjectStoreImpl(XenApiModel.datamodel());
        runtime = DomainRuntime.start(store, sim.hypervisor, sim.xenstore, sxp, settings, stateDir, executor,
                controllers);
        runtime.persisters().forEach(store::registerPersister);
    }

    private void dropRuntime() {
        runtime.persisters().forEach(store::unregisterPersister);
        runtime.detachFromHypervisor();
        runtime.forget();
    }

    private void stopSimulator() {
        executor.shutdownNow();
        if (deviceBackends != null) {
            deviceBackends.close();
        }
        sim.close();
    }
}
