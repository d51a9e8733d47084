package org.xend.shell;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.XenApiException;

/**
 * Asks a guest to shut down or reboot. With {@code -w} the command waits until it has (a spinner on a terminal);
 * without it, as xm, the command returns once the request is under way, and a failure after that goes to the log.
 */
abstract class GuestShutdownAction extends DomainAction {

    private static final Logger LOG = LoggerFactory.getLogger(GuestShutdownAction.class);

    /** A request is refused (wrong power state, another operation) well within this; then the command returns. */
    static final long REFUSAL_WINDOW_MILLIS = 1000;

    @Option(name = "-w", aliases = "--wait", description = "Wait until the guest has done it")
    boolean await;

    void shutdown(PrintStream out, String reason) throws Exception {
        String vm = resolve(dom);
        String name = nameOf(vm);
        boolean reboot = "reboot".equals(reason);
        if (await) {
            progress().run((reboot ? "Rebooting domain " : "Shutting down domain ") + name,
                    () -> domains.shutdown(vm, reason));
            out.println("Domain " + name + (reboot ? " rebooted" : " terminated"));
            return;
        }
        CompletableFuture<Void> request = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                domains.shutdown(vm, reason);
                request.complete(null);
            } catch (Throwable t) {
                request.completeExceptionally(t);
            }
        }, "xm-" + reason + "-" + name);
        worker.setDaemon(true);
        worker.start();
        try {
            request.get(REFUSAL_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException underWay) {
            request.whenComplete((done, failure) -> {
                if (failure != null) {
                    LOG.warn("xm {} of domain {} failed: {}", reason, name, failure instanceof XenApiException e
                            ? ErrorMessages.describe(e, this::nameOf, vm) : failure.toString());
                }
            });
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw new CommandException("The " + reason + " of domain " + name + " failed: " + e.getCause());
        }
    }
}
