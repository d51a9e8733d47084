package org.xend.domain;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.config.DaemonSettings;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.device.DeviceController;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.relocation.RelocationClient;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.ObjectStore;

/**
 * Brings up the domain layer when the store, the hypervisor, the xenstore and the SXP format are there, and
 * publishes its class implementations and persisters. On deactivation (a clean Karaf stop included) the
 * on_xend_stop actions run first, while the hypervisor is still there. It reads two configuration PIDs, so it
 * carries no {@code @Designate}; {@link DomainSettings} still types the {@code org.xend.domain} properties.
 */
@Component(immediate = true, configurationPid = {DaemonSettings.PID, "org.xend.domain"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class DomainComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DomainComponent.class);

    @Reference
    private ObjectStore store;

    @Reference(name = "hypervisor")
    private Hypervisor hypervisor;

    @Reference(name = "xenstore")
    private XenStore xenstore;

    @Reference(name = "sxp", target = "(format=sxp)")
    private ConfigFormat sxp;

    /** Migration to other hosts, while the relocation bundle offers its client. */
    @Reference(name = "relocation", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RelocationClient relocation;

    /** The device controllers there are now; they come and go with their bundles. */
    private final DeviceControllers deviceControllers = new DeviceControllers();

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private ExecutorService executor;
    private DomainRuntime runtime;

    @Activate
    void activate(BundleContext context, DomainSettings settings, Map<String, Object> props) throws Exception {
        DaemonSettings daemon = DaemonSettings.fromSystem(props);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "xend-domain-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        runtime = DomainRuntime.start(store, hypervisor, xenstore, sxp, settings, daemon.stateDir(), executor,
                deviceControllers);
        runtime.useRelocation(() -> relocation);
        runtime.persisters().forEach((cls, p) -> publish(context, ClassPersister.class, p, cls));
        runtime.implementations().forEach((cls, impl) -> publish(context, ClassImplementation.class, impl, cls));
        registrations.add(context.registerService(DomainService.class, runtime.service(), null));
        LOG.info("Xend is managing domains on the {} hypervisor; state in {}", hypervisor.type(), daemon.stateDir());
        runtime.autoStart();
    }

    @Reference(name = "deviceController", service = DeviceController.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeDeviceController")
    void addDeviceController(DeviceController controller) {
        deviceControllers.add(controller);
    }

    void removeDeviceController(DeviceController controller) {
        deviceControllers.remove(controller);
    }

    private <T> void publish(BundleContext context, Class<T> type, T service, String className) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ClassImplementation.PROPERTY_CLASS, className);
        registrations.add(context.registerService(type, service, props));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        LOG.info("Xend is stopping: running the on_xend_stop actions");
        try {
            runtime.stopActions();
        } finally {
            for (ServiceRegistration<?> r : registrations) {
                try {
                    r.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            }
            registrations.clear();
            runtime.forget();
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
            LOG.info("Xend domain layer stopped");
        }
    }
}
