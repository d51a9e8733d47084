package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm debug-keys}: presses keys on the hypervisor's debug console; their output goes to xm:dmesg. */
@Service
@Command(scope = "xm", name = "debug-keys",
        description = "Sends debug keys to the hypervisor ('h' lists them); xm:dmesg shows what they print")
public class DebugKeysCommand extends HypervisorAction {

    @Argument(index = 0, name = "keys", required = true, description = "The keys, e.g. h or q")
    String keys;

    @Override
    void run(PrintStream out) throws Exception {
        hypervisor.sendDebugKeys(keys);
    }
}
