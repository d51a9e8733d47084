package org.xend.shell;

import org.xend.api.domain.DomainView;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

/**
 * Xend's six domain state flags, {@code rbpscd}: running, blocked, paused, shutdown, crashed, dying, each shown by
 * its letter when set and by {@code -} when clear.
 */
final class StateFlags {

    private static final String LETTERS = "rbpscd";

    private StateFlags() {
    }

    static String of(boolean running, boolean blocked, boolean paused, boolean shutdown, boolean crashed,
                     boolean dying) {
        boolean[] set = {running, blocked, paused, shutdown, crashed, dying};
        StringBuilder flags = new StringBuilder(LETTERS.length());
        for (int i = 0; i < set.length; i++) {
            flags.append(set[i] ? LETTERS.charAt(i) : '-');
        }
        return flags.toString();
    }

    /**
     * The flags of a VM that has a domain, read as xc_domain_getinfo sets them: running when any online vCPU runs,
     * blocked when every online vCPU blocks, crashed when it shut down because it crashed. The view carries no
     * dying flag (a domain is dying only for the instant of its destruction), so {@code d} stays clear.
     */
    static String of(DomainView view) {
        boolean running = false;
        boolean anyOnline = false;
        boolean allOnlineBlocked = true;
        for (VcpuInfo vcpu : view.vcpus()) {
            if (!vcpu.online()) {
                continue;
            }
            anyOnline = true;
            running |= vcpu.running();
            allOnlineBlocked &= vcpu.blocked();
        }
        boolean blocked = anyOnline && allOnlineBlocked;
        boolean paused = "Paused".equals(view.powerState());
        boolean shutdown = view.shutdownReason().isPresent();
        boolean crashed = view.shutdownReason().filter(r -> r == ShutdownReason.CRASH).isPresent()
                || "Crashed".equals(view.powerState());
        return of(running, blocked, paused, shutdown, crashed, false);
    }
}
