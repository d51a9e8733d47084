package org.xend.hypervisor.sim;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.spi.xenstore.XsWatch;

/**
 * The simulated guest OS of one domain, behaving as a PV Linux kernel does towards the toolstack:
 * <ul>
 *   <li>it watches {@code control/shutdown} and, asked to power off, reboot, halt or suspend, clears the request
 *       and shuts the domain down with that reason;</li>
 *   <li>it watches {@code control/sysrq}, clears it and handles the key: {@code c} crashes the kernel,
 *       {@code b} reboots, {@code o} powers off, other keys are only logged;</li>
 *   <li>an NMI makes it panic: the domain shuts down with reason crash.</li>
 * </ul>
 * Reacting takes {@code responseDelayNs} of the guest's running time: the countdown stops while the domain is
 * paused. Inputs that arrive while a countdown runs are handled together when it ends; a crash wins.
 */
final class SimGuest {
    private static final Logger LOG = LoggerFactory.getLogger(SimGuest.class);

    /** What the guest needs from the hypervisor it runs on. */
    interface Domain {
        int domid();

        /** Whether the domain is scheduled (neither paused nor shut down). */
        boolean isRunning();

        void shutdown(ShutdownReason reason);
    }

    private final Domain domain;
    private final XenStore xenStore;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final LongSupplier responseDelayNs;
    private final String controlPath;
    private final String controlShutdownPath;
    private final String controlSysrqPath;

    /** What the guest has been asked to react to. */
    private enum Input { SHUTDOWN_REQUEST, SYSRQ, NMI }

    // guarded by this
    private final List<XsWatch> watches = new ArrayList<>(1);
    private final EnumSet<Input> pending = EnumSet.noneOf(Input.class);
    private boolean started;
    private boolean closed;
    private long remainingDelayNs;
    private ScheduledFuture<?> countdown;
    private long countdownStartedNs;
    private long countdownNumber;

    SimGuest(Domain domain, XenStore xenStore, ScheduledExecutorService scheduler, LongSupplier nanoClock,
             LongSupplier responseDelayNs) {
        this.domain = domain;
        this.xenStore = xenStore;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.responseDelayNs = responseDelayNs;
        this.controlPath = "/local/domain/" + domain.domid() + "/control";
        this.controlShutdownPath = controlPath + "/shutdown";
        this.controlSysrqPath = controlPath + "/sysrq";
    }

    /**
     * Boots the guest's xenbus side, once (the first time the domain runs, as a kernel boots after the toolstack
     * has written its xenstore entries): one watch on its control directory, for control/shutdown and
     * control/sysrq. A request already waiting there (for example across a restart of the simulator) is seen at
     * once, as a new watch fires.
     */
    void start() {
        synchronized (this) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        XsWatch registered = xenStore.watch(controlPath, "sim-guest-" + domain.domid(),
                (path, t) -> controlChanged(path));
        boolean closeNow;
        synchronized (this) {
            closeNow = closed;
            if (!closed) {
                watches.add(registered);
            }
        }
        if (closeNow) {
            registered.close();
        }
    }

    /** The domain is gone: stop watching and forget anything pending. */
    void close() {
        List<XsWatch> registered;
        synchronized (this) {
            closed = true;
            stopCountdown();
            pending.clear();
            registered = List.copyOf(watches);
            watches.clear();
        }
        registered.forEach(XsWatch::close);
    }

    /** Called after the domain was paused, unpaused or shut down: the countdown runs only while it runs. */
    synchronized void runStateChanged() {
        reschedule();
    }

    /** A non-maskable interrupt on one of the guest's vCPUs: Linux panics on it when it next runs. */
    synchronized void nmi() {
        if (!closed) {
            LOG.info("domain {}: NMI delivered, the guest kernel will panic", domain.domid());
            arrive(Input.NMI);
        }
    }

    /** Runs on the xenstore watch thread: the directory itself (a new watch fires so) or a node in it. */
    private void controlChanged(String path) {
        boolean all = path.equals(controlPath);
        if (all || path.equals(controlShutdownPath)) {
            controlShutdownChanged();
        }
        if (all || path.equals(controlSysrqPath)) {
            sysrqChanged();
        }
    }

    /** Runs on the xenstore watch thread. */
    private void controlShutdownChanged() {
        String request = xenStore.read(controlShutdownPath).orElse("");
        if (request.isEmpty()) {
            return;
        }
        if (reasonFor(request).isEmpty()) {
            LOG.info("domain {}: guest ignores unknown shutdown request '{}'", domain.domid(), request);
            return;
        }
        synchronized (this) {
            arrive(Input.SHUTDOWN_REQUEST);
        }
    }

    /** Runs on the xenstore watch thread. */
    private void sysrqChanged() {
        if (xenStore.read(controlSysrqPath).orElse("").isEmpty()) {
            return; // no key, or the guest's own clearing of the node
        }
        synchronized (this) {
            arrive(Input.SYSRQ);
        }
    }

    /** Called holding this: the first input starts the response delay, later ones join it. */
    private void arrive(Input input) {
        if (closed) {
            return;
        }
        if (pending.isEmpty()) {
            remainingDelayNs = responseDelayNs.getAsLong();
        }
        pending.add(input);
        reschedule();
    }

    private void reschedule() {
        boolean running = !closed && domain.isRunning();
        if (countdown != null && !running) {
            stopCountdown();
        } else if (countdown == null && running && !pending.isEmpty()) {
            countdownStartedNs = nanoClock.getAsLong();
            long number = ++countdownNumber;
            try {
                countdown = scheduler.schedule(() -> countdownElapsed(number), Math.max(0, remainingDelayNs),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("domain {}: hypervisor stopped, guest will not react", domain.domid());
            }
        }
    }

    private void stopCountdown() {
        if (countdown != null) {
            countdown.cancel(false);
            countdown = null;
            remainingDelayNs -= nanoClock.getAsLong() - countdownStartedNs;
        }
    }

    private void countdownElapsed(long number) {
        EnumSet<Input> inputs;
        synchronized (this) {
            // a timer cancelled too late by a pause is stale: the pause has recomputed the remaining delay
            if (closed || countdown == null || number != countdownNumber || !domain.isRunning()) {
                return;
            }
            countdown = null;
            inputs = EnumSet.copyOf(pending);
            pending.clear();
        }
        if (inputs.contains(Input.NMI)) {
            shutDown(ShutdownReason.CRASH, "kernel panic on NMI");
            return;
        }
        if (inputs.contains(Input.SYSRQ) && handleSysrq()) {
            return;
        }
        if (inputs.contains(Input.SHUTDOWN_REQUEST)) {
            answerShutdownRequest();
        }
    }

    /** As Linux's xenbus sysrq handler: read and clear the key in one transaction, then act on it. */
    private boolean handleSysrq() {
        String key = xenStore.inTransaction(t -> {
            String value = t.read(controlSysrqPath).orElse("");
            if (!value.isEmpty()) {
                t.write(controlSysrqPath, "");
            }
            return value;
        });
        if (key.isEmpty()) {
            return false;
        }
        return switch (key.charAt(0)) {
            case 'c' -> shutDown(ShutdownReason.CRASH, "kernel panic on sysrq-c");
            case 'b' -> shutDown(ShutdownReason.REBOOT, "emergency reboot on sysrq-b");
            case 'o' -> shutDown(ShutdownReason.POWEROFF, "power off on sysrq-o");
            default -> {
                LOG.info("domain {}: guest handled sysrq '{}'", domain.domid(), key.charAt(0));
                yield false;
            }
        };
    }

    /** As the Linux guest does: read and clear the request in one transaction, then shut down. */
    private void answerShutdownRequest() {
        Optional<ShutdownReason> reason = xenStore.inTransaction(t -> {
            Optional<ShutdownReason> requested = reasonFor(t.read(controlShutdownPath).orElse(""));
            if (requested.isPresent()) {
                t.write(controlShutdownPath, "");
            }
            return requested;
        });
        if (reason.isEmpty()) {
            LOG.debug("domain {}: the shutdown request was withdrawn before the guest acted", domain.domid());
            return;
        }
        shutDown(reason.get(), "shutdown request");
    }

    private boolean shutDown(ShutdownReason reason, String why) {
        try {
            LOG.info("domain {}: guest shuts down ({}): {}", domain.domid(), reason.xendName(), why);
            domain.shutdown(reason);
        } catch (HypervisorException e) {
            // shut down or destroyed by the toolstack in the meantime
            LOG.debug("domain {}: guest shutdown not needed: {}", domain.domid(), e.getMessage());
        }
        return true;
    }

    static Optional<ShutdownReason> reasonFor(String request) {
        return switch (request) {
            case "poweroff" -> Optional.of(ShutdownReason.POWEROFF);
            case "reboot" -> Optional.of(ShutdownReason.REBOOT);
            case "halt" -> Optional.of(ShutdownReason.HALT);
            case "suspend" -> Optional.of(ShutdownReason.SUSPEND);
            default -> Optional.empty();
        };
    }
}
