package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code xm dump-core}: writes the memory of a VM's domain to a core file, by default a new one in the daemon's
 * dump directory. The domain is paused meanwhile unless {@code -L}; {@code -C} destroys it afterwards.
 */
@Service
@Command(scope = "xm", name = "dump-core", description = "Dumps the core of a VM's domain (xm dump-core)")
public class DumpCoreCommand extends DomainAction {

    @Option(name = "-L", aliases = "--live", description = "Dump without pausing the domain")
    boolean live;

    @Option(name = "-C", aliases = "--crash", description = "Destroy the domain after the dump")
    boolean crash;

    @Argument(index = 1, name = "file", description = "The core file (relative to the current directory); "
            + "by default a new file in the daemon's dump directory")
    String file;

    @Override
    void run(PrintStream out) throws Exception {
        String vm = resolve(dom);
        String target = file == null || file.isEmpty() ? null : currentDir().resolve(file).toAbsolutePath().toString();
        out.println("Dumping core of domain: " + dom + " ...");
        String written = domains.dumpCore(vm, target, live, crash);
        if (crash) {
            out.println("Destroying domain: " + dom + " ...");
        }
        out.println("Core written to " + written);
    }
}
