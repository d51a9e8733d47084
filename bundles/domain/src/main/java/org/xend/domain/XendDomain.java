package org.xend.domain;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.DomainListener;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.NotEnoughMemoryException;
import org.xend.api.spi.hypervisor.RestoredDomain;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.relocation.MigrationOffer;
import org.xend.api.spi.relocation.MigrationReceipt;
import org.xend.api.spi.relocation.OutgoingMigration;
import org.xend.api.spi.relocation.RelocationClient;
import org.xend.api.spi.relocation.RelocationException;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;
import org.xend.api.store.StoreListener;

/**
 * XendDomain: every VM the daemon knows, managed (saved as config.sxp) or not, and their lifecycle. The hypervisor
 * backend reports guest exits through {@link DomainListener}; the configured actions_after_* then run here.
 * Operations on one VM are serialised (a second one gets OTHER_OPERATION_IN_PROGRESS); different VMs proceed in
 * parallel, with no global lock.
 */
public final class XendDomain implements DomainListener {

    /** Xend's mark on a dead domain kept for debugging ({@code xend/shutdown_completed}). */
    private static final String PRESERVED_KEY = "/xend/shutdown_completed";
    private static final Logger LOG = LoggerFactory.getLogger(XendDomain.class);
    static final String VM = "VM";
    static final String VM_METRICS = "VM_metrics";
    static final String HALTED = "Halted";
    static final String RUNNING = "Running";
    static final String PAUSED = "Paused";
    static final String CRASHED = "Crashed";
    static final String SUSPENDED = "Suspended";

    /** The VM fields a managed domain's config.sxp keeps. */
    static final List<String> PERSISTED_FIELDS = List.of("uuid", "name_label", "name_description", "user_version",
            "is_a_template", "auto_power_on", "memory_static_max", "memory_dynamic_max", "memory_dynamic_min",
            "memory_static_min", "VCPUs_params", "VCPUs_max", "VCPUs_at_startup", "actions_after_shutdown",
            "actions_after_reboot", "actions_after_crash", "PV_bootloader", "PV_kernel", "PV_ramdisk", "PV_args",
            "PV_bootloader_args", "HVM_boot_policy", "HVM_boot_params", "platform", "PCI_bus", "other_config");

    /** How often a wait for a guest looks at its task's cancellation. */
    private static final long CANCEL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ObjectStore store;
    private final Hypervisor hypervisor;
    private final XenStore xenstore;
    private final ManagedDomains managed;
    private final DomainSettings settings;
    private final ExecutorService exits;
    private final Fields vmFields;
    private final Fields metricsFields;
    private final Devices devices;
    private final DomainDevices deviceOperations;
    private final String hostRef;

    /** What the daemon keeps per VM beyond its record. */
    static final class Dom {
        final String ref;
        final boolean managed;
        final String metrics;
        volatile Map<String, String> extras;
        volatile List<DeviceConfig> devices;
        volatile long lastStartMillis;
        volatile int restartCount;
        volatile Instant startTime = Instant.EPOCH;
        /** False when the VM is known to have no managed checkpoint, so a destroy need not look for one. */
        volatile boolean mayHaveCheckpoint;
        /** The devices of its domain that are connected, by device uuid. */
        final Map<String, DomainDevices.Attached> attachedDevices = new ConcurrentHashMap<>();

        Dom(String ref, boolean managed, String metrics, Map<String, String> extras, List<DeviceConfig> devices) {
            this.ref = ref;
            this.managed = managed;
            this.metrics = metrics;
            this.extras = Map.copyOf(extras);
            this.devices = List.copyOf(devices);
        }
    }

    private final Map<String, Dom> doms = new ConcurrentHashMap<>();
    /** VM names to refs, so a name check does not list every VM (a daemon with 10,000 VMs loads them all). */
    private final Map<String, String> vmByName = new ConcurrentHashMap<>();
    private final StoreListener nameIndex = this::indexNames;
    private final Map<String, CurrentOperation> currentOperations = new ConcurrentHashMap<>();
    /** Exits the toolstack asked for (clean shutdown/reboot), keyed by domid: the caller waits on them. */
    private final Map<Integer, CompletableFuture<ShutdownReason>> requestedExits = new ConcurrentHashMap<>();

    XendDomain(ObjectStore store, Hypervisor hypervisor, XenStore xenstore, ManagedDomains managed,
               DomainSettings settings, ExecutorService exits, String hostRef) {
        this(store, hypervisor, xenstore, managed, settings, exits, hostRef, DeviceControllers.none());
    }

    XendDomain(ObjectStore store, Hypervisor hypervisor, XenStore xenstore, ManagedDomains managed,
               DomainSettings settings, ExecutorService exits, String hostRef, DeviceControllers controllers) {
        this.store = store;
        this.hypervisor = hypervisor;
        this.xenstore = xenstore;
        this.managed = managed;
        this.settings = settings;
        this.exits = exits;
        this.hostRef = hostRef;
        this.vmFields = new Fields(store.datamodel().classDecl(VM).orElseThrow());
        this.metricsFields = new Fields(store.datamodel().classDecl(VM_METRICS).orElseThrow());
        this.devices = new Devices(store);
        this.deviceOperations = new DomainDevices(store, xenstore, controllers, devices, new DomainDevices.Vms() {
            @Override
            public Dom dom(String vm) {
                Dom d = doms.get(vm);
                if (d == null) {
                    throw new XenApiException(ErrorCodes.HANDLE_INVALID, VM, vm);
                }
                return d;
            }

            @Override
            public <T> T exclusively(String vm, Supplier<T> body) {
                CurrentOperation claim = new CurrentOperation(Refs.newRef(), DEVICE_CALL);
                if (currentOperations.putIfAbsent(vm, claim) != null) {
                    throw new XenApiException(ErrorCodes.OTHER_OPERATION_IN_PROGRESS, VM, vm);
                }
                try {
                    return body.get();
                } finally {
                    currentOperations.remove(vm, claim);
                }
            }

            @Override
            public void save(String vm) {
                try {
                    XendDomain.this.save(vm);
                } catch (IOException e) {
                    throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "could not save the configuration of VM "
                            + vm + ": " + e.getMessage());
                }
            }
        });
        store.addListener(nameIndex);
    }

    // ---- start and stop of the daemon ----

    /** Builds Domain-0, loads the managed domains, re-adopts running ones and starts the auto-start ones. */
    void start() {
        createDomain0();
        for (VmConfig cfg : managed.loadAll()) {
            try {
                register(cfg, true);
            } catch (RuntimeException e) {
                LOG.error("Cannot load managed domain {}: {}", cfg.fields().get("uuid"), e.getMessage());
            }
        }
        adoptRunningDomains();
        hypervisor.addListener(this);
        hypervisor.replayShutdowns();
    }

    /** The VMs to start or resume because the daemon started: on_xend_start=start|resume, or auto_power_on. */
    List<String> autoStartCandidates() {
        List<String> out = new ArrayList<>();
        for (Dom d : doms.values()) {
            if (!d.managed) {
                continue;
            }
            ApiObject vm = store.get(VM, d.ref).orElse(null);
            if (vm != null && HALTED.equals(vm.get("power_state"))
                    && ("start".equals(d.extras.get("on_xend_start")) || vm.bool("auto_power_on"))) {
                out.add(d.ref);
            } else if (vm != null && SUSPENDED.equals(vm.get("power_state"))
                    && "resume".equals(d.extras.get("on_xend_start"))) {
                out.add(d.ref);
            }
        }
        return out;
    }

    void detach() {
        hypervisor.removeListener(this);
    }

    /** Writes out what the configuration journal holds and closes it. */
    void closeStorage() {
        managed.close();
    }

    /** Starts a Halted VM or resumes a Suspended one (the daemon's start actions). */
    void startOrResume(String vm) {
        if (SUSPENDED.equals(powerState(vm))) {
            resume(vm, false, null);
        } else {
            start(vm, false, null);
        }
    }

    void stop() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Dom d : doms.values()) {
            String action = d.extras.getOrDefault("on_xend_stop", "ignore");
            ApiObject vm = store.get(VM, d.ref).orElse(null);
            if (vm == null || !RUNNING.equals(vm.get("power_state"))
                    || !("shutdown".equals(action) || ("suspend".equals(action) && d.managed))) {
                continue;
            }
            pending.add(CompletableFuture.runAsync(() -> {
                try {
                    if ("suspend".equals(action)) {
                        suspend(d.ref, null);
                    } else {
                        cleanShutdown(d.ref, null);
                    }
                    LOG.info("on_xend_stop: VM {} {}", vm.get("name_label"), action);
                } catch (RuntimeException e) {
                    LOG.warn("on_xend_stop {} of {} failed: {}", action, d.ref, e.getMessage());
                }
            }, exits));
        }
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0]))
                    .get(settings.stopActionTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Not every on_xend_stop action finished: {}", e.toString());
        } finally {
            // after the actions, which wait for the guests' exits through this listener
            hypervisor.removeListener(this);
        }
    }

    // ---- the Xen API calls ----

    /** VM.create: a managed, Halted VM from a Xen API record. */
    String create(Map<String, Object> record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : PERSISTED_FIELDS) {
            if (record.containsKey(f)) {
                fields.put(f, record.get(f));
            }
        }
        fields.put("uuid", Refs.newRef());
        VmConfig cfg = new VmConfig(fields, Map.of(), List.of());
        return register(cfg, true, false); // a new uuid: no checkpoint can be waiting for it
    }

    /** VM.destroy: forgets a Halted VM, with its saved configuration. */
    void destroy(String vm, Call call) {
        operation(vm, "destroy", call, () -> forget(vm));
    }

    void start(String vm, boolean paused, Call call) {
        operation(vm, "start", call, () -> startDomain(vm, paused, call));
    }

    void pause(String vm, Call call) {
        operation(vm, "pause", call, () -> {
            hypervisor.pause(domid(vm));
            setPowerState(vm, PAUSED);
        });
    }

    void unpause(String vm, Call call) {
        operation(vm, "unpause", call, () -> {
            hypervisor.unpause(domid(vm));
            setPowerState(vm, RUNNING);
        });
    }

    void cleanShutdown(String vm, Call call) {
        operation(vm, "clean_shutdown", call, () -> requestExit(vm, "poweroff", call));
    }

    /** xm shutdown -H: like a clean shutdown, but the guest is asked to halt. */
    void cleanHalt(String vm, Call call) {
        operation(vm, "clean_shutdown", call, () -> requestExit(vm, "halt", call));
    }

    /** xm create: a VM that is not managed, started at once and forgotten when its domain goes. */
    String createStarted(VmConfig cfg, boolean paused) {
        String ref = register(cfg, false);
        try {
            start(ref, paused, null);
        } catch (RuntimeException e) {
            forget(ref);
            throw e;
        }
        return ref;
    }

    /** xm new / xend.domain.new. */
    String define(VmConfig cfg) {
        return register(cfg, true);
    }

    void rename(String vm, String name) {
        if (Refs.DOMAIN_0.equals(vm)) {
            throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
        }
        checkRename(vm, name);
        try {
            store.update(VM, vm, f -> {
                f.put("name_label", name);
                return f;
            });
        } catch (RuntimeException e) {
            releaseName(vm, name);
            throw e;
        }
    }

    private void forget(String vm) {
        Dom d = doms.get(vm);
        store.remove(VM, vm);  // while still known, so the persister deletes a managed VM's directory
        doms.remove(vm);
        if (d != null) {
            devices.remove(d.devices);
            store.remove(VM_METRICS, d.metrics);
        }
    }

    /** Saves a managed VM's configuration now (after a change the record does not show, e.g. to its devices). */
    private void save(String vm) throws IOException {
        Optional<VmConfig> cfg = store.get(VM, vm).flatMap(this::configOf);
        if (cfg.isPresent()) {
            managed.save(cfg.get());
        }
    }

    private void saveQuietly(String vm) {
        try {
            save(vm);
        } catch (IOException e) {
            LOG.error("Could not save the configuration of VM {}: {}", vm, e.getMessage());
        }
    }

    /** Keeps a VM's configuration in step with its VBD and VIF objects, whichever door changed them. */
    ClassPersister devicePersister() {
        return new ClassPersister() {
            @Override
            public void write(ApiObject before, ApiObject after) throws IOException {
                String vm = after.string("VM");
                Dom d = doms.get(vm);
                if (d == null) {
                    return;
                }
                DeviceConfig existing = Devices.find(d.devices, after.ref());
                DeviceConfig next = existing == null ? Devices.fromObject(after) : Devices.updated(existing, after);
                if (next.equals(existing)) {
                    return;
                }
                // VM.VBDs and VM.VIFs are the store's to keep (a relation of the datamodel)
                d.devices = Devices.replace(d.devices, after.ref(), next);
                if (d.managed) {
                    save(vm);
                }
            }

            @Override
            public void delete(ApiObject before) throws IOException {
                String vm = before.string("VM");
                Dom d = doms.get(vm);
                if (d == null || store.get(VM, vm).isEmpty()) {
                    return;
                }
                d.devices = Devices.replace(d.devices, before.ref(), null);
                if (d.managed) {
                    save(vm);
                }
            }
        };
    }

    void cleanReboot(String vm, Call call) {
        operation(vm, "clean_reboot", call, () -> requestExit(vm, "reboot", call));
    }

    void hardShutdown(String vm, Call call) {
        operation(vm, "hard_shutdown", call, () -> destroyDomain(vm));
    }

    void hardReboot(String vm, Call call) {
        operation(vm, "hard_reboot", call, () -> {
            destroyDomain(vm);
            startDomain(vm, false, call);
        });
    }

    /** VM.suspend: the guest suspends itself, its image goes to the managed checkpoint, and the VM is Suspended. */
    void suspend(String vm, Call call) {
        operation(vm, "suspend", call, () -> {
            if (!doms.get(vm).managed) {
                throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
            }
            suspendToCheckpoint(vm, call);
        });
    }

    private void suspendToCheckpoint(String vm, Call call) {
        try {
            managed.ensureDirectory(vm);
        } catch (IOException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "cannot create the directory of VM " + vm + ": "
                    + e.getMessage());
        }
        suspendGuest(vm, call);
        progress(call, 0.5);
        markCheckpointed(vm);
        saveSuspended(vm, managed.checkpoint(vm));
        setHaltedState(vm, SUSPENDED);
        progress(call, 1.0);
    }

    /** Asks the guest to suspend itself; it must answer within the shutdown timeout. */
    private void suspendGuest(String vm, Call call) {
        Optional<ShutdownReason> reason = askGuest(vm, "suspend", call);
        if (reason.isEmpty()) {
            xenstore.write("/local/domain/" + domid(vm) + "/control/shutdown", "");
            throw new XenApiException("VM_CHECKPOINT_SUSPEND_FAILED", vm, "the guest did not suspend within "
                    + settings.shutdownTimeoutSeconds() + " s");
        }
        if (reason.get() != ShutdownReason.SUSPEND) {
            destroyDomain(vm);
            throw new XenApiException("VM_CHECKPOINT_SUSPEND_FAILED", vm,
                    "the guest shut down (" + reason.get().xendName() + ") instead of suspending");
        }
    }

    /** Writes the image of a domain that has suspended itself; the domain is gone afterwards. */
    private void saveSuspended(String vm, Path image) {
        int domid = domid(vm);
        try {
            hypervisor.saveDomain(domid, image, imageConfig(vm), false);
        } catch (HypervisorException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "could not save domain " + domid + ": " + e.getMessage());
        }
        cleanXenStore(domid, vm);
    }

    /** VM.resume: rebuilds the domain from the managed checkpoint. */
    void resume(String vm, boolean paused, Call call) {
        operation(vm, "resume", call, () -> {
            cancellationPoint(call);
            Path image = managed.checkpoint(vm);
            int domid = restoreImage(image).domid();
            progress(call, 0.6);
            runRestored(vm, domid, paused);
            discardCheckpoint(vm);
            progress(call, 1.0);
        });
    }

    /** VM.save: the guest's image to {@code path}; without {@code checkpoint} the domain is gone afterwards. */
    void save(String vm, String path, boolean checkpoint, Call call) {
        Path image = imagePath(path);
        operation(vm, "save", call, () -> {
            int domid = domid(vm);
            if (checkpoint) {
                try {
                    hypervisor.saveDomain(domid, image, imageConfig(vm), true);
                } catch (HypervisorException e) {
                    throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "could not save domain " + domid + ": "
                            + e.getMessage());
                }
                return;
            }
            if (PAUSED.equals(powerState(vm))) {
                hypervisor.unpause(domid);
            }
            suspendGuest(vm, call);
            progress(call, 0.5);
            saveSuspended(vm, image);
            finishWithoutDomain(vm);
            progress(call, 1.0);
        });
    }

    /** VM.restore: a domain from a save image, into its VM if the daemon knows it (Halted), else a new unmanaged VM. */
    String restore(String path, boolean paused, Call call) {
        Path image = imagePath(path);
        RestoredDomain restored = restoreImage(image);
        VmConfig cfg;
        try {
            cfg = managed.parse(new String(restored.config(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (ConfigException e) {
            safeDestroy(restored.domid(), "");
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "path", path,
                    "the image's configuration cannot be read: " + e.getMessage());
        }
        String vm = (String) cfg.fields().get("uuid");
        try {
            if (!doms.containsKey(vm)) {
                register(cfg, false);
            }
            operation(vm, "start", call, () -> runRestored(vm, restored.domid(), paused));
        } catch (RuntimeException e) {
            safeDestroy(restored.domid(), vm);
            throw e;
        }
        return vm;
    }

    private RestoredDomain restoreImage(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "path", image.toString(), "no such image file");
        }
        try {
            return hypervisor.restoreDomain(image);
        } catch (NotEnoughMemoryException e) {
            throw notEnoughMemory(e);
        } catch (HypervisorException e) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "path", image.toString(), e.getMessage());
        }
    }

    /** A restored (paused) domain becomes the VM's running domain. */
    private void runRestored(String vm, int domid, boolean paused) {
        runBuiltDomain(vm, domid, paused, null, () -> { });
    }

    private byte[] imageConfig(String vm) {
        VmConfig cfg = configOf(store.require(VM, vm), true).orElseThrow();
        return managed.format(cfg).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Path imagePath(String path) {
        if (path == null || path.isBlank() || !path.startsWith("/")) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "path", String.valueOf(path),
                    "an image path must be absolute");
        }
        return Path.of(path);
    }

    private void markCheckpointed(String vm) {
        Dom d = doms.get(vm);
        if (d != null) {
            d.mayHaveCheckpoint = true;
        }
    }

    private void discardCheckpoint(String vm) {
        Dom d = doms.get(vm);
        if (d == null || !d.managed || !d.mayHaveCheckpoint) {
            return;
        }
        try {
            Files.deleteIfExists(managed.checkpoint(vm));
            d.mayHaveCheckpoint = false;
        } catch (IOException e) {
            LOG.warn("Could not remove the checkpoint of VM {}: {}", vm, e.getMessage());
        }
    }

    // ---- migration ----

    /** XAPI's code for a failed migration: [vm, source host, destination, reason]. */
    static final String VM_MIGRATE_FAILED = "VM_MIGRATE_FAILED";

    /** The relocation client while the relocation bundle offers one; null when it does not. */
    private volatile Supplier<RelocationClient> relocation = () -> null;
    /** The uuids of VMs being received from another host, so that two migrations of one VM cannot cross. */
    private final Set<String> incomingMigrations = ConcurrentHashMap.newKeySet();

    void useRelocation(Supplier<RelocationClient> client) {
        relocation = client == null ? () -> null : client;
    }

    /**
     * VM.migrate / xm migrate: sends a Running or Paused VM to {@code host}'s relocation server ({@code port} 0: the
     * configured relocation port). Not live, the domain is paused before its image is sent; live, it runs while its
     * memory goes and the hypervisor pauses it for the final round. This host destroys its domain only once the
     * destination has restored the VM; after any failure the domain is resumed as it was.
     */
    void migrate(String vm, String host, int port, boolean live, Call call) {
        if (host == null || host.isBlank()) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "dest", String.valueOf(host),
                    "a destination host name or address is needed");
        }
        if (port < 0 || port > 65535) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "port", port,
                    "a port is 1 to 65535, or 0 for the relocation port");
        }
        operation(vm, "pool_migrate", call, () -> migrateDomain(vm, host.trim(), port, live, call));
    }

    private void migrateDomain(String vm, String host, int port, boolean live, Call call) {
        cancellationPoint(call);
        RelocationClient client = relocation.get();
        if (client == null) {
            throw migrateFailed(vm, host, "this daemon has no relocation service (is the xend-relocation feature "
                    + "installed?)");
        }
        ApiObject rec = store.require(VM, vm);
        int domid = domid(vm);
        boolean wasPaused = PAUSED.equals(rec.string("power_state"));
        DomainInfo info = hypervisor.domain(domid)
                .orElseThrow(() -> migrateFailed(vm, host, "its domain " + domid + " no longer exists"));
        byte[] config = imageConfig(vm);
        MigrationOffer offer = new MigrationOffer(vm, rec.string("name_label"), info.memoryKib() * 1024, wasPaused);
        OutgoingMigration migration;
        try {
            migration = client.open(host, port, offer);
        } catch (RelocationException e) {
            throw migrateFailed(vm, host, e.getMessage());
        }
        try (migration) {
            progress(call, 0.1);
            MigrationReceipt receipt = sendAway(vm, domid, host, migration, config, live, wasPaused, call);
            progress(call, 0.9);
            // The destination holds the VM, paused: only now does this host let go of it.
            safeDestroy(domid, vm);
            finishWithoutDomain(vm);
            try {
                migration.commit();
            } catch (RelocationException e) {
                throw migrateFailed(vm, host, "the VM left this host, but " + host + " did not confirm that it "
                        + "runs it; it holds it paused as domain " + receipt.domid() + " (" + e.getMessage() + ")");
            }
            LOG.info("VM {} ({}) migrated{} to {}: domain {} there", rec.get("name_label"), vm,
                    live ? " live" : "", host, receipt.domid());
            progress(call, 1.0);
        }
    }

    /** Streams the domain to the destination and waits until it is restored there; resumes it if that fails. */
    private MigrationReceipt sendAway(String vm, int domid, String host, OutgoingMigration migration, byte[] config,
                                      boolean live, boolean wasPaused, Call call) {
        try {
            cancellationPoint(call);
            if (!live && !wasPaused) {
                hypervisor.pause(domid);
            }
            hypervisor.sendDomain(domid, migration.image(), config, live);
            return migration.awaitRestored();
        } catch (HypervisorException | RelocationException e) {
            resumeAfterFailedMigration(vm, domid, wasPaused);
            throw migrateFailed(vm, host, e.getMessage());
        } catch (RuntimeException e) {
            resumeAfterFailedMigration(vm, domid, wasPaused);
            throw e;
        }
    }

    /** The domain stays here: running again unless it was paused before the migration. */
    private void resumeAfterFailedMigration(String vm, int domid, boolean wasPaused) {
        if (wasPaused) {
            return;
        }
        try {
            hypervisor.unpause(domid);
        } catch (HypervisorException e) {
            LOG.error("VM {}: domain {} could not be unpaused after its failed migration: {}", vm, domid,
                    e.getMessage());
        }
    }

    private XenApiException migrateFailed(String vm, String host, String reason) {
        return new XenApiException(VM_MIGRATE_FAILED, vm, hostRef, host, reason);
    }

    /**
     * The receiving side: checks that this host can take the VM, lets the source send ({@code accepted}), restores
     * the domain from {@code image} and leaves the VM Paused; see {@link org.xend.api.domain.DomainService}.
     */
    String receiveMigration(String uuid, String name, long memoryBytes, ReadableByteChannel image,
                            Runnable accepted) {
        if (!Refs.isUuid(uuid) || Refs.DOMAIN_0.equals(uuid)) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "uuid", String.valueOf(uuid),
                    "not the uuid of a VM that can migrate");
        }
        if (memoryBytes <= 0) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "memory", memoryBytes,
                    "a migrating VM has memory");
        }
        if (!incomingMigrations.add(uuid)) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "uuid", uuid,
                    "this VM is already migrating to this host");
        }
        try {
            checkIncoming(uuid, name, memoryBytes);
            accepted.run();
            RestoredDomain restored = receiveImage(image);
            adoptReceived(uuid, restored);
            LOG.info("VM {} ({}) arrived by migration: domain {}", name, uuid, restored.domid());
            return uuid;
        } finally {
            incomingMigrations.remove(uuid);
        }
    }

    /** Refuses, before any image is sent, a VM that runs here already, clashes by name, or does not fit. */
    private void checkIncoming(String uuid, String name, long memoryBytes) {
        Dom known = doms.get(uuid);
        if (known != null && !HALTED.equals(powerState(uuid))) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "uuid", uuid,
                    "a VM with this uuid is already " + powerState(uuid) + " on this host");
        }
        if (known == null) {
            String owner = vmByName.get(name);
            if (owner != null) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "name_label", name,
                        "another VM of this host (" + owner + ") has this name");
            }
        }
        long freeBytes = hypervisor.physinfo().freeMemoryKib() * 1024;
        if (memoryBytes > freeBytes) {
            throw new XenApiException(ErrorCodes.HOST_NOT_ENOUGH_FREE_MEMORY, memoryBytes, freeBytes);
        }
    }

    private RestoredDomain receiveImage(ReadableByteChannel image) {
        try {
            return hypervisor.receiveDomain(image);
        } catch (NotEnoughMemoryException e) {
            throw notEnoughMemory(e);
        } catch (HypervisorException e) {
            if (e.errno() == 5) {
                throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the image could not be read: "
                        + e.getMessage());
            }
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "image", "migration stream", e.getMessage());
        }
    }

    /**
     * The received domain becomes the VM's, left paused: a VM unknown here is registered unmanaged from the image's
     * configuration. On failure the domain is destroyed and a VM registered for it forgotten again.
     */
    private void adoptReceived(String uuid, RestoredDomain restored) {
        boolean registered = false;
        try {
            VmConfig cfg = managed.parse(new String(restored.config(), java.nio.charset.StandardCharsets.UTF_8));
            if (!uuid.equals(cfg.fields().get("uuid"))) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "image", "migration stream",
                        "the image is of VM " + cfg.fields().get("uuid") + ", not of the VM offered (" + uuid + ")");
            }
            if (!doms.containsKey(uuid)) {
                register(cfg, false);
                registered = true;
            }
            operation(uuid, "start", null, () -> runRestored(uuid, restored.domid(), true));
        } catch (ConfigException e) {
            safeDestroy(restored.domid(), "");
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "image", "migration stream",
                    "the image's configuration cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            safeDestroy(restored.domid(), "");
            if (registered) {
                forget(uuid);
            }
            throw e;
        }
    }

    // ---- live tuning ----

    void setMemoryDynamicMaxLive(String vm, long bytes, Call call) {
        setBalloonTarget(vm, bytes, call, List.of("memory_dynamic_max"));
    }

    /** xm mem-set: the balloon target, with dynamic min and max both set to it, as Xend's setMemoryTarget did. */
    void setMemoryTarget(String vm, long bytes, Call call) {
        setBalloonTarget(vm, bytes, call, List.of("memory_dynamic_max", "memory_dynamic_min"));
    }

    /** Moves a running domain's balloon to {@code bytes}, and the VM's {@code fields} with it once the rules allow. */
    private void setBalloonTarget(String vm, long bytes, Call call, List<String> fields) {
        operation(vm, "changing_memory_live", call, () -> {
            Map<String, Object> next = new LinkedHashMap<>(store.require(VM, vm).fields());
            fields.forEach(f -> next.put(f, bytes));
            VmRules.checkMemory(next);
            try {
                hypervisor.setTargetMemory(domid(vm), bytes / 1024);
            } catch (NotEnoughMemoryException e) {
                throw notEnoughMemory(e);
            }
            xenstore.write("/local/domain/" + domid(vm) + "/memory/target", Long.toString(bytes / 1024));
            store.update(VM, vm, f -> {
                fields.forEach(field -> f.put(field, bytes));
                return f;
            });
        });
    }

    /** The live credit scheduler parameters of a VM that has a domain. */
    SchedCredit schedCredit(String vm) {
        String state = powerState(vm);
        if (!RUNNING.equals(state) && !PAUSED.equals(state)) {
            throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm, RUNNING, state);
        }
        return hypervisor.schedCredit(domid(vm));
    }

    void setMemoryDynamicMinLive(String vm, long bytes, Call call) {
        operation(vm, "changing_memory_live", call, () -> {
            Map<String, Object> next = new LinkedHashMap<>(store.require(VM, vm).fields());
            next.put("memory_dynamic_min", bytes);
            VmRules.checkMemory(next);
            store.update(VM, vm, f -> {
                f.put("memory_dynamic_min", bytes);
                return f;
            });
        });
    }

    void setVcpusNumberLive(String vm, long n, Call call) {
        operation(vm, "changing_VCPUs_live", call, () -> {
            ApiObject rec = store.require(VM, vm);
            long max = rec.longValue("VCPUs_max");
            if (n < 1 || n > max) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "nvcpu", n,
                        "the number of vCPUs must be from 1 to VCPUs_max (" + max + ")");
            }
            int domid = domid(vm);
            hypervisor.setOnlineVcpus(domid, (int) n);
            xenstore.inTransaction(t -> {
                for (long i = 0; i < max; i++) {
                    t.write("/local/domain/" + domid + "/cpu/" + i + "/availability", i < n ? "online" : "offline");
                }
                t.write("/vm/" + vm + "/vcpu_avail", Long.toString((1L << n) - 1));
                return null;
            });
            store.update(VM, vm, f -> {
                f.put("VCPUs_at_startup", n);
                return f;
            });
        });
    }

    void addToVcpusParamsLive(String vm, String key, String value, Call call) {
        operation(vm, "changing_VCPUs_live", call, () -> {
            ApiObject rec = store.require(VM, vm);
            Map<String, String> params = new LinkedHashMap<>(rec.stringMap("VCPUs_params"));
            params.put(key, value);
            applyVcpuParams(domid(vm), rec.longValue("VCPUs_max"), Map.of(key, value), params);
            store.update(VM, vm, f -> {
                f.put("VCPUs_params", Map.copyOf(params));
                return f;
            });
        });
    }

    /**
     * Applies {@code changed} scheduler and pinning parameters to a domain; {@code all} gives the values of the
     * ones not changed (weight and cap are set together).
     */
    private void applyVcpuParams(int domid, long vcpus, Map<String, String> changed, Map<String, String> all) {
        if (changed.containsKey("weight") || changed.containsKey("cap")) {
            SchedCredit current = hypervisor.schedCredit(domid);
            int weight = all.containsKey("weight") ? VcpuParams.weight(all.get("weight")) : current.weight();
            int cap = all.containsKey("cap") ? VcpuParams.cap(all.get("cap"), vcpus) : current.cap();
            hypervisor.setSchedCredit(domid, new SchedCredit(weight, cap));
        }
        for (Map.Entry<String, String> e : changed.entrySet()) {
            if (e.getKey().startsWith("cpumap")) {
                int vcpu = VcpuParams.cpumapVcpu(e.getKey(), vcpus);
                hypervisor.pinVcpu(domid, vcpu, VcpuParams.cpus(e.getValue(), hypervisor.physinfo().nrCpus()));
            } else if (!"weight".equals(e.getKey()) && !"cap".equals(e.getKey())) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "VCPUs_params", e.getKey(),
                        "the keys are weight, cap and cpumapN");
            }
        }
    }

    void sendSysrq(String vm, String key, Call call) {
        operation(vm, "send_sysrq", call, () -> {
            if (key == null || key.length() != 1) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "key", String.valueOf(key),
                        "a sysrq key is one character");
            }
            xenstore.write("/local/domain/" + domid(vm) + "/control/sysrq", key);
        });
    }

    void sendTrigger(String vm, String trigger, Call call) {
        operation(vm, "send_trigger", call, () -> {
            if (!List.of("nmi", "reset", "init").contains(trigger)) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "trigger", String.valueOf(trigger),
                        "a trigger is nmi, reset or init");
            }
            hypervisor.sendTrigger(domid(vm), trigger, 0);
        });
    }

    int restartCount(String vm) {
        return dom(vm).map(d -> d.restartCount).orElse(0);
    }

    /** The configuration to save for a managed VM. */
    Optional<VmConfig> configOf(ApiObject vm) {
        return configOf(vm, false);
    }

    /** A VM's configuration; for a VM that is not managed only when {@code evenUnmanaged}. */
    Optional<VmConfig> configOf(ApiObject vm, boolean evenUnmanaged) {
        Dom d = doms.get(vm.ref());
        if (d == null || (!d.managed && !evenUnmanaged)) {
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : PERSISTED_FIELDS) {
            if (vm.fields().containsKey(f)) {
                fields.put(f, vm.get(f));
            }
        }
        return Optional.of(new VmConfig(fields, d.extras, d.devices));
    }

    private static boolean persistedFieldsEqual(ApiObject before, ApiObject after) {
        for (String f : PERSISTED_FIELDS) {
            if (!Objects.equals(before.get(f), after.get(f))
                    || before.fields().containsKey(f) != after.fields().containsKey(f)) {
                return false;
            }
        }
        return true;
    }

    Optional<Dom> dom(String vm) {
        return Optional.ofNullable(doms.get(vm));
    }

    Optional<String> vmOfMetrics(String metricsRef) {
        for (Dom d : doms.values()) {
            if (d.metrics.equals(metricsRef)) {
                return Optional.of(d.ref);
            }
        }
        return Optional.empty();
    }

    /** The persister that keeps managed VMs' config.sxp in step with their records. */
    ClassPersister persister() {
        return new ClassPersister() {
            @Override
            public void write(ApiObject before, ApiObject after) throws IOException {
                // extras and devices come from the VM's Dom, the same before and after: only fields can differ
                if (before != null && persistedFieldsEqual(before, after)) {
                    return;
                }
                Optional<VmConfig> cfg = configOf(after);
                if (cfg.isPresent()) {
                    try {
                        managed.save(cfg.get());
                    } catch (IOException | RuntimeException e) {
                        if (before != null && !before.string("name_label").equals(after.string("name_label"))) {
                            releaseName(after.ref(), after.string("name_label")); // the rename is not committed
                        }
                        throw e;
                    }
                }
            }

            @Override
            public void delete(ApiObject before) throws IOException {
                Dom d = doms.get(before.ref());
                if (d != null && d.managed) {
                    managed.delete(before.ref());
                }
            }
        };
    }

    // ---- for HypervisorControls (dump-core, mem-max, sched-sedf, shadow memory, I/O ports) ----

    HypervisorControls hypervisorControls() {
        return new HypervisorControls(this, store, hypervisor, xenstore);
    }

    /**
     * Runs {@code body} as one operation on the VM, as {@link #operation} does (one at a time, Domain-0 refused),
     * for calls the lifecycle table does not name: the VM must be in one of {@code states}. {@code op} is what
     * current_operations shows meanwhile.
     */
    void exclusiveOperation(String vm, String op, Set<String> states, Call call, Runnable body) {
        runOperation(vm, op, call, state -> {
            if (!states.contains(state)) {
                String expected = Lifecycle.STATES.stream().filter(states::contains).findFirst().orElse(RUNNING);
                throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm, expected, state);
            }
        }, body);
    }

    /** A new file under the daemon's dump directory for a core of the domain. */
    Path newDumpFile(String name, int domid) {
        try {
            return managed.newDumpFile(name, domid);
        } catch (IOException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "cannot create the dump directory: "
                    + e.getMessage());
        }
    }

    /** Destroys the VM's domain as the lifecycle does: a managed VM becomes Halted, another is forgotten. */
    void destroyDomainOf(String vm) {
        destroyDomain(vm);
    }

    /** Sets a configuration key the VM's record does not carry (e.g. shadow_memory) and saves a managed VM. */
    void setConfigExtra(String vm, String key, String value) {
        Dom d = doms.get(vm);
        if (d == null) {
            return;
        }
        Map<String, String> extras = new LinkedHashMap<>(d.extras);
        extras.put(key, value);
        d.extras = Map.copyOf(extras);
        try {
            save(vm);
        } catch (IOException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the configuration of VM " + vm
                    + " could not be saved: " + e.getMessage());
        }
    }

    // ---- guest exits, reported by the backend ----

    @Override
    public void domainShutdown(DomainInfo info) {
        exits.execute(() -> {
            try {
                handleExit(info);
            } catch (RuntimeException e) {
                LOG.error("Handling the exit of domain {} failed", info.domid(), e);
            }
        });
    }

    private void handleExit(DomainInfo info) {
        ShutdownReason reason = info.shutdownReason().orElse(ShutdownReason.CRASH);
        String vm = info.uuid();
        if (!doms.containsKey(vm)) {
            LOG.info("Domain {} ({}) shut down ({}) but is not ours", info.domid(), vm, reason.xendName());
            return;
        }
        CompletableFuture<ShutdownReason> requested = requestedExits.get(info.domid());
        if (requested != null) {
            // The toolstack asked for this exit; the waiting call decides what follows.
            requested.complete(reason);
            return;
        }
        ApiObject rec = store.get(VM, vm).orElse(null);
        if (rec == null) {
            return;
        }
        if (reason == ShutdownReason.SUSPEND) {
            guestSuspended(vm, info.domid());
            return;
        }
        if (wasPreserved(info.domid())) {
            // kept for debugging before the daemon restarted: its action has run already
            setPowerState(vm, reason == ShutdownReason.CRASH ? CRASHED : HALTED);
            return;
        }
        String action = switch (reason) {
            case POWEROFF, HALT -> rec.string("actions_after_shutdown");
            case REBOOT -> rec.string("actions_after_reboot");
            default -> rec.string("actions_after_crash");
        };
        LOG.info("Domain {} ({}) exited: {}; action {}", info.domid(), rec.get("name_label"), reason.xendName(), action);
        if (action != null && action.startsWith("coredump_")) {
            coreDump(vm, info.domid(), rec.string("name_label"));
        }
        switch (action == null ? "destroy" : action) {
            case "restart", "coredump_and_restart" -> restartAfterExit(vm);
            case "rename_restart" -> renameRestart(vm, info.domid(), reason);
            case "preserve" -> preserve(vm, info.domid(), reason);
            default -> destroyDomain(vm);
        }
    }

    /** A guest suspended itself without being asked: a managed VM keeps its image, as if suspended through the API. */
    private void guestSuspended(String vm, int domid) {
        Dom d = doms.get(vm);
        if (d == null || !d.managed) {
            destroyDomain(vm);
            return;
        }
        try {
            managed.ensureDirectory(vm);
            markCheckpointed(vm);
            saveSuspended(vm, managed.checkpoint(vm));
            setHaltedState(vm, SUSPENDED);
        } catch (IOException | RuntimeException e) {
            LOG.error("VM {} suspended itself but its image could not be written: {}", vm, e.getMessage());
            destroyDomain(vm);
        }
    }

    private void coreDump(String vm, int domid, String name) {
        try {
            Path file = managed.newDumpFile(name, domid);
            hypervisor.coreDump(domid, file);
            LOG.info("Core of VM {} (domain {}) dumped to {}", name, domid, file);
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not dump the core of VM {} (domain {}): {}", vm, domid, e.getMessage());
        }
    }

    private void restartAfterExit(String vm) {
        boolean tooSoon = restartTooSoon(vm);
        destroyDomain(vm);
        if (!tooSoon) {
            restart(vm);
        }
    }

    /** Xend's MINIMUM_RESTART_TIME: a guest that dies right after its start is not restarted in a loop. */
    private boolean restartTooSoon(String vm) {
        long since = System.currentTimeMillis() - doms.get(vm).lastStartMillis;
        if (since < settings.minimumRestartSeconds() * 1000L) {
            LOG.error("VM {} restarted {} ms after its previous start, less than the minimum of {} s: not restarting it",
                    vm, since, settings.minimumRestartSeconds());
            return true;
        }
        return false;
    }

    private void restart(String vm) {
        try {
            startDomain(vm, false, null);
            doms.get(vm).restartCount++;
        } catch (RuntimeException e) {
            LOG.error("Restarting VM {} failed: {}", vm, e.getMessage());
        }
    }

    /** The dead domain stays for debugging; the xenstore remembers it, so a restarted daemon does not act again. */
    private void preserve(String vm, int domid, ShutdownReason reason) {
        markPreserved(domid);
        setPowerState(vm, reason == ShutdownReason.CRASH ? CRASHED : HALTED);
    }

    /**
     * rename_restart: the dead domain is kept for debugging as a VM of its own, {@code Domain-<new uuid>} (the
     * domain gets that uuid as its handle), and the VM starts again in a new domain under its own uuid and name.
     */
    private void renameRestart(String vm, int domid, ShutdownReason reason) {
        if (restartTooSoon(vm)) {
            destroyDomain(vm);
            return;
        }
        ApiObject rec = store.require(VM, vm);
        String keptUuid = Refs.newRef();
        String keptName = "Domain-" + keptUuid;
        try {
            hypervisor.setHandle(domid, keptUuid);
        } catch (HypervisorException e) {
            LOG.error("Domain {} of VM {} cannot be kept under a new uuid ({}): restarting without keeping it",
                    domid, vm, e.getMessage());
            destroyDomain(vm);
            restart(vm);
            return;
        }
        LOG.info("Keeping dead domain {} of VM {} ({}) as {}", domid, rec.get("name_label"), vm, keptName);
        VmConfig original = configOf(rec, true).orElseThrow();
        Map<String, Object> fields = new LinkedHashMap<>(original.fields());
        fields.put("uuid", keptUuid);
        fields.put("name_label", keptName);
        // its devices stay with the VM, which starts again with them
        register(new VmConfig(fields, original.extras(), List.of()), false);
        store.update(VM, keptUuid, f -> {
            vmFields.put(f, "power_state", reason == ShutdownReason.CRASH ? CRASHED : HALTED);
            vmFields.put(f, "domid", (long) domid);
            vmFields.put(f, "resident_on", hostRef);
            return f;
        });
        doms.get(keptUuid).startTime = doms.get(vm).startTime;
        handOverXenStore(domid, vm, keptUuid, keptName);
        setHaltedState(vm, HALTED);
        restart(vm);
    }

    /** The kept domain's xenstore entries name its new VM; the old VM's entries go, its new domain writes them. */
    private void handOverXenStore(int domid, String vm, String keptUuid, String keptName) {
        String dom = "/local/domain/" + domid;
        try {
            xenstore.inTransaction(t -> {
                t.write("/vm/" + keptUuid + "/uuid", keptUuid);
                t.write("/vm/" + keptUuid + "/name", keptName);
                t.write(dom + "/vm", "/vm/" + keptUuid);
                t.write(dom + "/name", keptName);
                t.write(dom + PRESERVED_KEY, "True");
                return null;
            });
            xenstore.remove("/vm/" + vm);
        } catch (RuntimeException e) {
            LOG.warn("Could not move the xenstore entries of kept domain {}: {}", domid, e.getMessage());
        }
    }

    private void markPreserved(int domid) {
        try {
            xenstore.write("/local/domain/" + domid + PRESERVED_KEY, "True");
        } catch (RuntimeException e) {
            LOG.warn("Could not mark domain {} as preserved: {}", domid, e.getMessage());
        }
    }

    private boolean wasPreserved(int domid) {
        try {
            return xenstore.read("/local/domain/" + domid + PRESERVED_KEY).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- internals ----

    private String register(VmConfig cfg, boolean isManaged) {
        return register(cfg, isManaged, isManaged);
    }

    /** {@code lookForCheckpoint}: whether a managed checkpoint may exist for the VM's uuid (makes it Suspended). */
    private String register(VmConfig cfg, boolean isManaged, boolean lookForCheckpoint) {
        Map<String, Object> fields = new LinkedHashMap<>(cfg.fields());
        String ref = (String) fields.get("uuid");
        if (!Refs.isUuid(ref)) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "uuid", String.valueOf(ref),
                    "a uuid is 32 lower-case hex digits in the form 8-4-4-4-12");
        }
        if (doms.containsKey(ref)) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "uuid", ref, "a VM with this uuid already exists");
        }
        for (String f : fields.keySet()) {
            if (!PERSISTED_FIELDS.contains(f)) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, f, String.valueOf(fields.get(f)),
                        "not a field a VM configuration can set");
            }
        }
        fillDefaults(fields);
        VmRules.checkEnums(store.datamodel().classDecl(VM).orElseThrow(), fields);
        VmRules.checkName((String) fields.get("name_label"));
        VmRules.checkMemory(fields);
        VmRules.checkVcpus(fields);
        String name = (String) fields.get("name_label");
        checkNameUnique(name, ref);
        String metrics = Refs.newRef();
        store.create(VM_METRICS, metrics, Map.of());
        vmFields.put(fields, "power_state", HALTED);
        vmFields.put(fields, "domid", -1L);
        vmFields.put(fields, "metrics", metrics);
        vmFields.put(fields, "is_control_domain", false);
        vmFields.put(fields, "resident_on", Refs.NULL);
        boolean checkpointed = lookForCheckpoint && Files.isRegularFile(managed.checkpoint(ref));
        if (checkpointed) {
            vmFields.put(fields, "power_state", SUSPENDED);
        }
        List<DeviceConfig> deviceList = Devices.completed(cfg.devices());
        Dom d = new Dom(ref, isManaged, metrics, cfg.extras(), deviceList);
        d.mayHaveCheckpoint = checkpointed;
        // the name is taken in one step, so two VMs created at once under one name cannot both get it
        String owner = vmByName.putIfAbsent(name, ref);
        if (owner != null && !owner.equals(ref)) {
            store.remove(VM_METRICS, metrics);
            throw nameTaken(name);
        }
        doms.put(ref, d);
        try {
            devices.create(ref, deviceList); // before the VM: its VBDs and VIFs sets are filled from them
            store.create(VM, ref, fields);
        } catch (RuntimeException e) {
            vmByName.remove(name, ref);
            doms.remove(ref);
            devices.remove(deviceList);
            store.remove(VM_METRICS, metrics);
            throw e;
        }
        if (isManaged && !deviceList.equals(cfg.devices())) {
            saveQuietly(ref);
        }
        return ref;
    }

    private void fillDefaults(Map<String, Object> f) {
        f.putIfAbsent("name_label", "Domain-Unnamed");
        long staticMax = (Long) f.getOrDefault("memory_static_max",
                f.getOrDefault("memory_dynamic_max", 128L << 20));
        f.putIfAbsent("memory_static_max", staticMax);
        f.putIfAbsent("memory_dynamic_max", staticMax);
        f.putIfAbsent("memory_dynamic_min", f.get("memory_dynamic_max"));
        f.putIfAbsent("memory_static_min", 0L);
        f.putIfAbsent("VCPUs_max", f.getOrDefault("VCPUs_at_startup", 1L));
        f.putIfAbsent("VCPUs_at_startup", f.get("VCPUs_max"));
    }

    private void checkNameUnique(String name, String except) {
        String owner = vmByName.get(name);
        if (owner != null && !owner.equals(except)) {
            throw nameTaken(name);
        }
    }

    private static XenApiException nameTaken(String name) {
        return new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "name_label", name,
                "VM name '" + name + "' already exists");
    }

    /** Keeps {@link #vmByName} in step with every change to a VM's name, whichever door made it. */
    private void indexNames(ApiObject before, ApiObject after) {
        ApiObject any = after != null ? after : before;
        if (!VM.equals(any.className())) {
            return;
        }
        if (before != null) {
            vmByName.remove(before.string("name_label"), before.ref());
        }
        if (after != null) {
            vmByName.put(after.string("name_label"), after.ref());
        }
    }

    /**
     * Takes {@code name} for {@code vm} before a rename is committed, in one step, so that two VMs renamed at once to
     * one name cannot both get it. The commit moves the index (see {@link #indexNames}); a rename that fails gives
     * the name back ({@link #releaseName}).
     */
    void checkRename(String vm, String name) {
        VmRules.checkName(name);
        String owner = vmByName.putIfAbsent(name, vm);
        if (owner != null && !owner.equals(vm)) {
            throw nameTaken(name);
        }
    }

    /** Gives back a name taken for a rename of {@code vm} that was not committed. */
    private void releaseName(String vm, String name) {
        boolean named = store.get(VM, vm).map(r -> name.equals(r.string("name_label"))).orElse(false);
        if (!named) {
            vmByName.remove(name, vm);
        }
    }

    private void createDomain0() {
        DomainInfo d0 = hypervisor.domain(0).orElseThrow(() -> new IllegalStateException("the hypervisor has no domain 0"));
        Map<String, Object> f = new LinkedHashMap<>();
        long bytes = d0.memoryKib() * 1024;
        f.put("name_label", "Domain-0");
        f.put("name_description", "The control domain");
        f.put("memory_static_max", Math.max(bytes, d0.maxMemoryKib() * 1024));
        f.put("memory_dynamic_max", bytes);
        f.put("memory_dynamic_min", bytes);
        f.put("memory_static_min", 0L);
        f.put("VCPUs_max", (long) d0.maxVcpus());
        f.put("VCPUs_at_startup", (long) d0.onlineVcpus());
        String metrics = Refs.newRef();
        store.create(VM_METRICS, metrics, Map.of());
        vmFields.put(f, "power_state", RUNNING);
        vmFields.put(f, "domid", 0L);
        vmFields.put(f, "is_control_domain", true);
        vmFields.put(f, "metrics", metrics);
        vmFields.put(f, "resident_on", hostRef);
        Dom d = new Dom(Refs.DOMAIN_0, false, metrics, Map.of(), List.of());
        d.startTime = Instant.now();
        doms.put(Refs.DOMAIN_0, d);
        store.create(VM, Refs.DOMAIN_0, f);
    }

    /**
     * Xen domains outlive their toolstack: every domain still in the hypervisor is taken back on start — a managed
     * VM gets its domain again, and a domain the daemon no longer knows (an unmanaged VM of a previous run) becomes
     * an unmanaged VM again, named from the xenstore. Domains that shut down meanwhile are replayed to
     * {@link #domainShutdown} once the daemon listens again, so their actions run.
     */
    private void adoptRunningDomains() {
        for (DomainInfo info : hypervisor.domains()) {
            if (info.domid() == 0) {
                continue;
            }
            String vm = info.uuid();
            try {
                if (!doms.containsKey(vm)) {
                    register(unmanagedConfig(info), false);
                }
                store.update(VM, vm, f -> {
                    vmFields.put(f, "power_state", info.paused() && !info.shutdown() ? PAUSED : RUNNING);
                    vmFields.put(f, "domid", (long) info.domid());
                    vmFields.put(f, "resident_on", hostRef);
                    return f;
                });
                doms.get(vm).startTime = Instant.now();
                deviceOperations.readopt(doms.get(vm), store.require(VM, vm));
                LOG.info("Re-adopted domain {} as VM {}", info.domid(), vm);
            } catch (RuntimeException e) {
                LOG.error("Could not re-adopt domain {} ({}): {}", info.domid(), vm, e.getMessage());
            }
        }
    }

    /** What can be known of a domain whose configuration was never saved: the hypervisor's view and its name. */
    private VmConfig unmanagedConfig(DomainInfo info) {
        String name = xenstore.read("/local/domain/" + info.domid() + "/name")
                .or(() -> xenstore.read("/vm/" + info.uuid() + "/name"))
                .filter(n -> VmRules.NAME.matcher(n).matches())
                .orElse("Domain-" + info.domid());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("uuid", info.uuid());
        f.put("name_label", name);
        long bytes = info.maxMemoryKib() * 1024;
        f.put("memory_static_max", bytes);
        f.put("memory_dynamic_max", Math.min(bytes, info.targetMemoryKib() * 1024));
        f.put("memory_dynamic_min", Math.min(bytes, info.targetMemoryKib() * 1024));
        f.put("memory_static_min", 0L);
        f.put("VCPUs_max", (long) info.maxVcpus());
        f.put("VCPUs_at_startup", (long) info.onlineVcpus());
        return new VmConfig(f, Map.of(), List.of());
    }

    private void startDomain(String vm, boolean paused, Call call) {
        cancellationPoint(call);
        ApiObject rec = store.require(VM, vm);
        boolean hvm = !rec.string("HVM_boot_policy").isEmpty();
        long targetKib = rec.longValue("memory_dynamic_max") / 1024;
        long maxKib = rec.longValue("memory_static_max") / 1024;
        int domid;
        try {
            domid = hypervisor.createDomain(new DomainConfig(vm, rec.string("name_label"), hvm,
                    (int) rec.longValue("VCPUs_max"), (int) rec.longValue("VCPUs_at_startup"), maxKib, targetKib,
                    rec.string("PV_kernel"), rec.string("PV_ramdisk"), rec.string("PV_args"), 0));
        } catch (NotEnoughMemoryException e) {
            throw notEnoughMemory(e);
        } catch (HypervisorException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the hypervisor refused to build the domain: "
                    + e.getMessage());
        }
        progress(call, 0.3);
        runBuiltDomain(vm, domid, paused, call, () -> {
            Map<String, String> params = rec.stringMap("VCPUs_params");
            if (!params.isEmpty()) {
                applyVcpuParams(domid, rec.longValue("VCPUs_max"), params, params);
            }
            applyShadowMemory(vm, domid);
            progress(call, 0.6);
            cancellationPoint(call);
        });
        doms.get(vm).lastStartMillis = System.currentTimeMillis();
        progress(call, 1.0);
    }

    /** The shadow memory a VM's configuration asks for (xm's shadow_memory, MiB), given at build as Xend did. */
    private void applyShadowMemory(String vm, int domid) {
        String wanted = doms.get(vm).extras.get("shadow_memory");
        if (wanted == null || wanted.isBlank()) {
            return;
        }
        int mib;
        try {
            mib = Integer.parseInt(wanted.trim());
        } catch (NumberFormatException e) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "shadow_memory", wanted, "a number of MiB");
        }
        if (mib <= 0) {
            return;
        }
        try {
            hypervisor.setShadowAllocationMib(domid, mib);
        } catch (NotEnoughMemoryException e) {
            throw notEnoughMemory(e);
        } catch (HypervisorException e) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "shadow_memory", wanted, e.getMessage());
        }
    }

    /**
     * A built (paused) domain becomes the VM's running domain: its xenstore entries, {@code beforeUnpause}, then
     * unpaused unless asked not to. If anything fails the domain is destroyed and the VM's record is left alone.
     */
    private void runBuiltDomain(String vm, int domid, boolean paused, Call call, Runnable beforeUnpause) {
        try {
            introduce(domid, store.require(VM, vm));
            deviceOperations.attachConfigured(doms.get(vm), store.require(VM, vm), domid);
            beforeUnpause.run();
            if (!paused) {
                hypervisor.unpause(domid);
            }
        } catch (RuntimeException e) {
            safeDestroy(domid, vm);
            throw e;
        }
        doms.get(vm).startTime = Instant.now();
        store.update(VM, vm, f -> {
            vmFields.put(f, "power_state", paused ? PAUSED : RUNNING);
            vmFields.put(f, "domid", (long) domid);
            vmFields.put(f, "resident_on", hostRef);
            return f;
        });
    }

    /** The xenstore entries a toolstack writes for a new domain. */
    private void introduce(int domid, ApiObject rec) {
        String dom = "/local/domain/" + domid;
        String vmPath = "/vm/" + rec.ref();
        long vcpus = rec.longValue("VCPUs_max");
        long online = rec.longValue("VCPUs_at_startup");
        xenstore.inTransaction(t -> {
            // a new domain inherits nothing from an earlier one with its domid (left by a crash of the host or the
            // daemon), such as the mark of a preserved domain
            t.remove(dom);
            t.write(vmPath + "/uuid", rec.ref());
            t.write(vmPath + "/name", rec.string("name_label"));
            t.write(vmPath + "/vcpus", Long.toString(vcpus));
            t.write(vmPath + "/vcpu_avail", Long.toString((1L << online) - 1));
            t.write(vmPath + "/on_poweroff", rec.string("actions_after_shutdown"));
            t.write(vmPath + "/on_reboot", rec.string("actions_after_reboot"));
            t.write(vmPath + "/on_crash", rec.string("actions_after_crash"));
            t.write(vmPath + "/start_time", Long.toString(System.currentTimeMillis() / 1000));
            t.write(dom + "/domid", Integer.toString(domid));
            t.write(dom + "/name", rec.string("name_label"));
            t.write(dom + "/vm", vmPath);
            t.write(dom + "/memory/target", Long.toString(rec.longValue("memory_dynamic_max") / 1024));
            t.write(dom + "/control/shutdown", "");
            for (long i = 0; i < vcpus; i++) {
                t.write(dom + "/cpu/" + i + "/availability", i < online ? "online" : "offline");
            }
            t.mkdir(dom + "/device");
            return null;
        });
    }

    /** Asks the guest to shut down or reboot and waits; a guest that does not answer in time is destroyed. */
    private void requestExit(String vm, String request, Call call) {
        Optional<ShutdownReason> reason = askGuest(vm, request, call);
        if (reason.isEmpty()) {
            LOG.warn("VM {} did not {} within {} s: destroying it", vm, request, settings.shutdownTimeoutSeconds());
        }
        destroyDomain(vm);
        if ("reboot".equals(request) && reason.map(r -> r == ShutdownReason.REBOOT).orElse(true)) {
            startDomain(vm, false, null);
        }
    }

    /**
     * Writes a request to the guest's {@code control/shutdown} and waits for its domain to shut down.
     *
     * @return why it shut down, or empty when it did not within the shutdown timeout
     */
    private Optional<ShutdownReason> askGuest(String vm, String request, Call call) {
        int domid = domid(vm);
        CompletableFuture<ShutdownReason> exit = new CompletableFuture<>();
        requestedExits.put(domid, exit);
        String control = "/local/domain/" + domid + "/control/shutdown";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.shutdownTimeoutSeconds());
        try {
            xenstore.write(control, request);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    // in slices, so that a cancelled task stops waiting for a guest that does not answer
                    return Optional.of(exit.get(Math.min(left, CANCEL_CHECK_NANOS), TimeUnit.NANOSECONDS));
                } catch (TimeoutException slice) {
                    if (cancelled(call)) {
                        xenstore.write(control, "");
                        call.checkCancelled();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "interrupted while waiting for the guest");
        } catch (ExecutionException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, String.valueOf(e.getCause()));
        } finally {
            requestedExits.remove(domid);
        }
    }

    private static boolean cancelled(Call call) {
        if (call == null) {
            return false;
        }
        try {
            call.checkCancelled();
            return false;
        } catch (XenApiException e) {
            return true;
        }
    }

    /** Where a long operation may stop if its task was cancelled, before it changes anything. */
    private static void cancellationPoint(Call call) {
        if (call != null) {
            call.checkCancelled();
        }
    }

    /** Destroys the VM's domain; the VM becomes Halted (managed) or is forgotten (not managed). */
    private void destroyDomain(String vm) {
        ApiObject rec = store.require(VM, vm);
        int domid = (int) rec.longValue("domid");
        if (domid > 0) {
            safeDestroy(domid, vm);
        }
        discardCheckpoint(vm);
        finishWithoutDomain(vm);
    }

    /** The VM has no domain any more: Halted if managed, forgotten if not. */
    private void finishWithoutDomain(String vm) {
        Dom d = doms.get(vm);
        if (d != null && !d.managed) {
            forget(vm);
            return;
        }
        setHaltedState(vm, HALTED);
    }

    /** Records that the VM has no domain, in {@code state} (Halted or Suspended). */
    private void setHaltedState(String vm, String state) {
        store.update(VM, vm, f -> {
            vmFields.put(f, "power_state", state);
            vmFields.put(f, "domid", -1L);
            vmFields.put(f, "resident_on", Refs.NULL);
            return f;
        });
    }

    private void safeDestroy(int domid, String vm) {
        try {
            hypervisor.destroy(domid);
        } catch (HypervisorException e) {
            if (e.errno() != 3) {
                throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "could not destroy domain " + domid + ": "
                        + e.getMessage());
            }
        }
        cleanXenStore(domid, vm);
    }

    private void cleanXenStore(int domid, String vm) {
        deviceOperations.domainGone(vm.isEmpty() ? null : doms.get(vm), domid);
        try {
            xenstore.remove("/local/domain/" + domid);
            if (!vm.isEmpty()) {
                xenstore.remove("/vm/" + vm);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not clean the xenstore entries of domain {}: {}", domid, e.getMessage());
        }
    }

    /**
     * Runs one lifecycle operation: only one at a time per VM (a second gets OTHER_OPERATION_IN_PROGRESS), Domain-0
     * protected, and the power state checked against the lifecycle table.
     */
    private void operation(String vm, String op, Call call, Runnable body) {
        runOperation(vm, op, call, state -> Lifecycle.check(vm, state, op), body);
    }

    /** The claim both kinds of operation make; {@code allowed} checks the power state once the VM is claimed. */
    private void runOperation(String vm, String op, Call call, Consumer<String> allowed,
                              Runnable body) {
        store.require(VM, vm);
        if (Refs.DOMAIN_0.equals(vm)) {
            throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
        }
        String key = call != null && call.task() != null ? call.task() : Refs.newRef();
        if (currentOperations.putIfAbsent(vm, new CurrentOperation(key, op)) != null) {
            throw new XenApiException(ErrorCodes.OTHER_OPERATION_IN_PROGRESS, VM, vm);
        }
        try {
            allowed.accept(powerState(vm));
            body.run();
        } finally {
            currentOperations.remove(vm);
        }
    }

    /** An operation in flight: its key (the task ref when there is one) and its name. */
    record CurrentOperation(String key, String operation) {
    }

    /**
     * The claim of a device call (xm block-attach, VBD.plug …): it keeps lifecycle operations off the VM meanwhile,
     * but is no VM operation, so {@code VM.current_operations} does not show it (XAPI records those on the device).
     */
    private static final String DEVICE_CALL = "device call";

    /** The VM operation in flight, as {@code VM.current_operations} shows it. */
    Optional<CurrentOperation> currentOperation(String vm) {
        return Optional.ofNullable(currentOperations.get(vm)).filter(op -> !DEVICE_CALL.equals(op.operation()));
    }

    private String powerState(String vm) {
        return store.require(VM, vm).string("power_state");
    }

    private int domid(String vm) {
        return (int) store.require(VM, vm).longValue("domid");
    }

    private void setPowerState(String vm, String state) {
        store.update(VM, vm, f -> {
            f.put("power_state", state);
            return f;
        });
    }

    /** HOST_NOT_ENOUGH_FREE_MEMORY [needed, available], in bytes as the spec has them. */
    static XenApiException notEnoughMemory(NotEnoughMemoryException e) {
        return new XenApiException(ErrorCodes.HOST_NOT_ENOUGH_FREE_MEMORY, e.neededKib() * 1024,
                e.availableKib() * 1024);
    }

    private static void progress(Call call, double fraction) {
        if (call != null) {
            call.progress(fraction);
        }
    }

    /** Drops every VM object from the store (their persister must already be gone, so nothing is deleted on disk). */
    void forgetAll() {
        for (Dom d : doms.values()) {
            store.remove(VM, d.ref);
            store.remove(VM_METRICS, d.metrics);
        }
        doms.clear();
        store.removeListener(nameIndex);
        vmByName.clear();
    }

    Set<String> vmRefs() {
        return doms.keySet();
    }

    Fields metricsFields() {
        return metricsFields;
    }

    /** The device calls (attach, detach, list, plug, unplug) on VMs of this XendDomain. */
    DomainDevices deviceOperations() {
        return deviceOperations;
    }
}
