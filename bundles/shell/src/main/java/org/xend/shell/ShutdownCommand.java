package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/** {@code xm shutdown}: asks the guest to power off, or with {@code -R}/{@code -H} to reboot or halt. */
@Service
@Command(scope = "xm", name = "shutdown",
        description = "Asks a VM's guest to shut down; a guest that does not answer in time is destroyed (xm shutdown)")
public class ShutdownCommand extends GuestShutdownAction {

    @Option(name = "-R", aliases = "--reboot", description = "Reboot instead of powering off")
    boolean reboot;

    @Option(name = "-H", aliases = "--halt", description = "Halt instead of powering off")
    boolean halt;

    @Override
    void run(PrintStream out) throws Exception {
        if (reboot && halt) {
            throw new CommandException("-R (reboot) and -H (halt) exclude each other");
        }
        shutdown(out, reboot ? "reboot" : halt ? "halt" : "poweroff");
    }
}
