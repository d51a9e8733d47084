package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm unpause}: lets a paused VM run again. */
@Service
@Command(scope = "xm", name = "unpause", description = "Unpauses a paused VM (xm unpause)")
public class UnpauseCommand extends DomainAction {

    @Override
    void run(PrintStream out) throws Exception {
        domains.unpause(resolve(dom));
    }
}
