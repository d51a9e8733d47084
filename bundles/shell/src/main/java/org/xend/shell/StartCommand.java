package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm start}: boots a Halted managed VM. */
@Service
@Command(scope = "xm", name = "start", description = "Starts a Halted managed VM (xm start)")
public class StartCommand extends DomainAction {

    @Option(name = "-p", aliases = "--paused", description = "Leave the new domain paused")
    boolean paused;

    @Override
    void run(PrintStream out) throws Exception {
        String vm = resolve(dom);
        progress().run("Starting domain " + nameOf(vm), () -> domains.start(vm, paused));
    }
}
