package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm destroy}: ends a VM's domain at once, without asking the guest; a managed VM stays defined. */
@Service
@Command(scope = "xm", name = "destroy",
        description = "Terminates a VM's domain immediately; a managed VM stays defined, Halted (xm destroy)")
public class DestroyCommand extends DomainAction {

    @Override
    void run(PrintStream out) throws Exception {
        domains.destroyDomain(resolve(dom));
    }
}
