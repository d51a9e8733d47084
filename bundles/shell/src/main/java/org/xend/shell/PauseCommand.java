package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm pause}: stops scheduling a running VM's vCPUs; its memory stays allocated. */
@Service
@Command(scope = "xm", name = "pause", description = "Pauses a running VM (xm pause)")
public class PauseCommand extends DomainAction {

    @Override
    void run(PrintStream out) throws Exception {
        domains.pause(resolve(dom));
    }
}
