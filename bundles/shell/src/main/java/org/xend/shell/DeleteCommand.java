package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm delete}: removes a Halted managed VM and its saved configuration. */
@Service
@Command(scope = "xm", name = "delete",
        description = "Removes a Halted VM from management, with its saved configuration (xm delete)")
public class DeleteCommand extends DomainAction {

    @Override
    void run(PrintStream out) throws Exception {
        domains.delete(resolve(dom));
    }
}
