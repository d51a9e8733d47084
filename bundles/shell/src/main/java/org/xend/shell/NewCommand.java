package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.xend.api.spi.config.VmConfig;

/** {@code xm new}: defines a managed VM from a configuration file; it stays Halted until {@code xm:start}. */
@Service
@Command(scope = "xm", name = "new", description = "Adds a VM to the daemon's management, Halted (xm new)")
public class NewCommand extends ConfigFileAction {

    @Option(name = "-n", aliases = "--dryrun", description = "Print the SXP the daemon would get, and do nothing")
    boolean dryRun;

    @Override
    void run(PrintStream out) throws Exception {
        VmConfig config = load();
        if (dryRun) {
            printDryRun(out, config);
            return;
        }
        String vm = domains.define(config);
        out.println("Defined domain " + nameOf(vm) + " (" + vm + ")");
    }
}
