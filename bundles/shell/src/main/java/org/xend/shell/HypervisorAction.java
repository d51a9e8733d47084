package org.xend.shell;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.xend.api.spi.hypervisor.Hypervisor;

/** A command that also speaks to the hypervisor itself, as xm's node calls did (dmesg, debug-keys, sched-sedf). */
abstract class HypervisorAction extends XmAction {

    @Reference
    Hypervisor hypervisor;
}
