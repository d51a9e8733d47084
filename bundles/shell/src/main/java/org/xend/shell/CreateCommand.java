package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.xend.api.spi.config.VmConfig;

/** {@code xm create}: starts a VM that is not managed; it is forgotten once its domain is gone. */
@Service
@Command(scope = "xm", name = "create",
        description = "Starts a VM from a configuration file without adding it to management (xm create)")
public class CreateCommand extends ConfigFileAction {

    @Option(name = "-p", aliases = "--paused", description = "Leave the new domain paused")
    boolean paused;

    @Option(name = "-n", aliases = "--dryrun", description = "Print the SXP the daemon would get, and do nothing")
    boolean dryRun;

    @Override
    void run(PrintStream out) throws Exception {
        VmConfig config = load();
        if (dryRun) {
            printDryRun(out, config);
            return;
        }
        Object name = config.fields().get("name_label");
        String label = "Starting domain" + (name == null ? "" : " " + name);
        String vm = progress().run(label, () -> domains.createStarted(config, paused));
        out.println("Started domain " + nameOf(vm) + " (id=" + domains.view(vm).domid() + ")");
    }
}
