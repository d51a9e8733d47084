package org.xend.hypervisor.sim;

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
 * The simulated guest OS of one domain, behaving as a PV Linux kernel does towards the toolstack: it watches
 * {@code control/shutdown} and, when asked to power off, reboot, halt or suspend, it clears the request and shuts
 * the domain down with that reason. Acting takes {@code shutdownDelayNs} of the guest's running time: the
 * countdown stops while the domain is paused.
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
    private final LongSupplier shutdownDelayNs;
    private final String controlShutdownPath;

    // guarded by this
    private XsWatch watch;
    private boolean closed;
    private boolean requestPending;
    private long remainingDelayNs;
    private ScheduledFuture<?> countdown;
    private long countdownStartedNs;
    private long countdownNumber;

    SimGuest(Domain domain, XenStore xenStore, ScheduledExecutorService scheduler, LongSupplier nanoClock,
             LongSupplier shutdownDelayNs) {
        this.domain = domain;
        this.xenStore = xenStore;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.shutdownDelayNs = shutdownDelayNs;
        this.controlShutdownPath = "/local/domain/" + domain.domid() + "/control/shutdown";
    }

    /** Boots the guest's xenbus side: starts watching control/shutdown. */
    void start() {
        XsWatch registered = xenStore.watch(controlShutdownPath, "sim-guest-" + domain.domid(),
                (path, token) -> controlShutdownChanged());
        boolean closeNow;
        synchronized (this) {
            closeNow = closed;
            if (!closed) {
                watch = registered;
            }
        }
        if (closeNow) {
            registered.close();
        }
    }

    /** The domain is gone: stop watching and forget any pending request. */
    void close() {
        XsWatch registered;
        synchronized (this) {
            closed = true;
            stopCountdown();
            requestPending = false;
            registered = watch;
            watch = null;
        }
        if (registered != null) {
            registered.close();
        }
    }

    /** Called after the domain was paused, unpaused or shut down: the countdown runs only while it runs. */
    synchronized void runStateChanged() {
        reschedule();
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
            if (closed || requestPending) {
                return;
            }
            requestPending = true;
            remainingDelayNs = shutdownDelayNs.getAsLong();
            reschedule();
        }
    }

    private void reschedule() {
        boolean running = !closed && domain.isRunning();
        if (countdown != null && !running) {
            stopCountdown();
        } else if (countdown == null && running && requestPending) {
            countdownStartedNs = nanoClock.getAsLong();
            long number = ++countdownNumber;
            try {
                countdown = scheduler.schedule(() -> countdownElapsed(number), Math.max(0, remainingDelayNs),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("domain {}: hypervisor stopped, guest will not answer its shutdown request", domain.domid());
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
        synchronized (this) {
            // a timer cancelled too late by a pause is stale: the pause has recomputed the remaining delay
            if (closed || !requestPending || countdown == null || number != countdownNumber
                    || !domain.isRunning()) {
                return;
            }
            countdown = null;
            requestPending = false;
        }
        answerShutdownRequest();
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
        try {
            LOG.info("domain {}: guest shuts down ({})", domain.domid(), reason.get().xendName());
            domain.shutdown(reason.get());
        } catch (HypervisorException e) {
            // shut down or destroyed by the toolstack in the meantime
            LOG.debug("domain {}: guest shutdown not needed: {}", domain.domid(), e.getMessage());
        }
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
