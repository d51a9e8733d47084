package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code xm migrate}: moves a running or paused VM to another host's relocation server. The VM keeps running here
 * until the other host has it; a managed VM stays defined here, Halted.
 */
@Service
@Command(scope = "xm", name = "migrate", description = "Moves a VM to another host's relocation server (xm migrate)")
public class MigrateCommand extends DomainAction {

    @Argument(index = 1, name = "host", required = true, description = "The destination host: a name or an address")
    String host;

    @Option(name = "-l", aliases = "--live", description = "Live migration: the VM runs while its memory is sent")
    boolean live;

    @Option(name = "-p", aliases = "--port", description = "The destination's relocation port (default: 8002, "
            + "or this daemon's configured relocation port)")
    int port;

    @Override
    void run(PrintStream out) throws Exception {
        String vm = resolve(dom);
        String name = nameOf(vm);
        progress().run((live ? "Live-migrating " : "Migrating ") + "domain " + name + " to " + host,
                () -> domains.migrate(vm, host, port, live));
    }
}
