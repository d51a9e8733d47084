package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm reboot}: {@code xm shutdown -R}. */
@Service
@Command(scope = "xm", name = "reboot", description = "Asks a VM's guest to reboot (xm reboot)")
public class RebootCommand extends GuestShutdownAction {

    @Override
    void run(PrintStream out) throws Exception {
        shutdown(out, "reboot");
    }
}
