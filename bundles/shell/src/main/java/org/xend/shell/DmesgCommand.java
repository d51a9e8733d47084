package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm dmesg}: what the hypervisor printed on its console; {@code -c} empties the ring once shown. */
@Service
@Command(scope = "xm", name = "dmesg", description = "Shows the hypervisor's console messages (xm dmesg)")
public class DmesgCommand extends HypervisorAction {

    @Option(name = "-c", aliases = "--clear", description = "Clear the message ring after showing it")
    boolean clear;

    @Override
    void run(PrintStream out) throws Exception {
        out.print(hypervisor.readConsoleRing(clear));
    }
}
