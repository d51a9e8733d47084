package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm create -n}: the SXP the daemon would get for a configuration file, and nothing else. */
@Service
@Command(scope = "xm", name = "dryrun",
        description = "Prints the SXP the daemon would get for a configuration file, without acting on it")
public class DryRunCommand extends ConfigFileAction {

    @Override
    void run(PrintStream out) throws Exception {
        printDryRun(out, load());
    }
}
