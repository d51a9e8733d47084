package org.xend.shell;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.xend.api.domain.DomainView;

/** {@code xm uptime}: how long each running domain has been up. */
@Service
@Command(scope = "xm", name = "uptime", description = "Shows how long each VM with a domain has been running")
public class UptimeCommand extends XmAction {

    @Argument(index = 0, name = "dom", multiValued = true,
            description = "The VMs to show (name, domid or uuid); every running one when none is given")
    @Completion(DomainCompleter.class)
    List<String> doms;

    @Override
    void run(PrintStream out) throws Exception {
        List<DomainView> views = views(doms);
        Instant now = Instant.now();
        out.println(DomainTable.UPTIME_HEADER);
        for (DomainView view : views) {
            if (view.domid() >= 0) {
                out.println(DomainTable.uptimeLine(view, now));
            }
        }
    }
}
