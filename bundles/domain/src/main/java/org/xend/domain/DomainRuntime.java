package org.xend.domain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.relocation.RelocationClient;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.ObjectStore;

/**
 * The domain layer wired together: host objects, XendDomain, and the class implementations and persisters it
 * offers to the dispatcher and the store. The OSGi component publishes these; tests use them directly.
 */
public final class DomainRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DomainRuntime.class);

    private final HostObjects host;
    private final XendDomain domains;
    private final ExecutorService executor;
    private final DomainServiceImpl service;
    private final Map<String, ClassImplementation> implementations = new LinkedHashMap<>();
    private final Map<String, ClassPersister> persisters = new LinkedHashMap<>();

    /** How long a VM started with the daemon waits for the controllers of its devices. */
    private static final long CONTROLLER_WAIT_MILLIS = 30_000;

    private final DeviceControllers controllers;

    private DomainRuntime(HostObjects host, XendDomain domains, VmClasses vms, DomainServiceImpl service,
                          ExecutorService executor, DeviceControllers controllers) {
        this.controllers = controllers;
        this.host = host;
        this.domains = domains;
        this.service = service;
        this.executor = executor;
        persisters.put(XendDomain.VM, domains.persister());
        persisters.put(HostObjects.HOST, host.hostPersister());
        persisters.put(HostObjects.POOL, host.poolPersister());
        persisters.put(Devices.VBD, domains.devicePersister());
        persisters.put(Devices.VIF, domains.devicePersister());
        for (ClassImplementation impl : List.of(vms.vm(), vms.metrics(), host.hostClass(), host.hostMetricsClass(),
                host.hostCpuClass())) {
            implementations.put(impl.className(), impl);
        }
        DeviceClasses deviceClasses = new DeviceClasses(domains.deviceOperations());
        implementations.put(Devices.VBD, deviceClasses.vbd());
        implementations.put(Devices.VIF, deviceClasses.vif());
    }

    /** Builds the host objects, loads the managed domains and re-adopts running ones. */
    public static DomainRuntime start(ObjectStore store, Hypervisor hypervisor, XenStore xenstore, ConfigFormat sxp,
                                      DomainSettings settings, Path stateDir, ExecutorService executor)
            throws IOException {
        return start(store, hypervisor, xenstore, sxp, settings, stateDir, executor, DeviceControllers.none());
    }

    /** The same with device controllers: configured devices are created when a domain is built. */
    public static DomainRuntime start(ObjectStore store, Hypervisor hypervisor, XenStore xenstore, ConfigFormat sxp,
                                      DomainSettings settings, Path stateDir, ExecutorService executor,
                                      DeviceControllers controllers)
            throws IOException {
        HostObjects host = HostObjects.create(store, hypervisor, stateDir);
        XendDomain domains = new XendDomain(store, hypervisor, xenstore, new ManagedDomains(stateDir, sxp), settings,
                executor, host.hostRef(), controllers);
        domains.start();
        return new DomainRuntime(host, domains, new VmClasses(domains, hypervisor, store),
                new DomainServiceImpl(domains, store, hypervisor), executor, controllers);
    }

    public Map<String, ClassImplementation> implementations() {
        return implementations;
    }

    /** The domain layer for the legacy API and the shell. */
    public DomainService service() {
        return service;
    }

    public Map<String, ClassPersister> persisters() {
        return persisters;
    }

    /** Where VM.migrate finds the relocation client; it may come and go (null while there is none). */
    public void useRelocation(Supplier<RelocationClient> client) {
        domains.useRelocation(client);
    }

    /** Starts, in the background, the VMs marked to start with the daemon. */
    public void autoStart() {
        for (String vm : domains.autoStartCandidates()) {
            executor.execute(() -> {
                try {
                    awaitDeviceControllers(vm);
                    domains.startOrResume(vm);
                    LOG.info("Started VM {} because the daemon started", vm);
                } catch (RuntimeException e) {
                    LOG.error("Could not start VM {} at daemon start: {}", vm, e.getMessage());
                }
            });
        }
    }

    /** At daemon start the device controllers may come up after the domain layer: a VM waits for its classes. */
    private void awaitDeviceControllers(String vm) {
        java.util.Set<String> classes = new java.util.TreeSet<>();
        domains.dom(vm).ifPresent(d -> d.devices.forEach(device -> classes.add(device.deviceClass())));
        try {
            if (!controllers.await(classes, CONTROLLER_WAIT_MILLIS)) {
                LOG.warn("Starting VM {} although not every one of its device classes {} has a controller after {} s",
                        vm, classes, CONTROLLER_WAIT_MILLIS / 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the on_xend_stop actions. */
    public void stopActions() {
        domains.stop();
    }

    /** Stops listening to the hypervisor without running any stop action (the daemon dies). */
    public void detachFromHypervisor() {
        domains.detach();
    }

    /** Drops this runtime's objects from the store; call after the persisters are withdrawn. */
    public void forget() {
        domains.forgetAll();
        host.forgetAll();
        domains.closeStorage();
    }
}
