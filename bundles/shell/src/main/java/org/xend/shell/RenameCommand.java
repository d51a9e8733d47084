package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm rename}: gives a VM a new name, which must be free among all VMs. */
@Service
@Command(scope = "xm", name = "rename", description = "Renames a VM (xm rename)")
public class RenameCommand extends DomainAction {

    @Argument(index = 1, name = "name", required = true, description = "The new name")
    String name;

    @Override
    void run(PrintStream out) throws Exception {
        domains.rename(resolve(dom), name);
    }
}
