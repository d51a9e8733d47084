package org.xend.shell;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.ConfigFormat;

/** {@code xm list}: xm's table of VMs, or with {@code -l} each VM's SXP. */
@Service
@Command(scope = "xm", name = "list", description = "Lists VMs: name, domid, memory (MiB), vCPUs, state flags "
        + "(r running, b blocked, p paused, s shutdown, c crashed, d dying) and CPU time (s)")
public class ListCommand extends XmAction {

    @Option(name = "-l", aliases = "--long", description = "Print each VM's SXP instead of the table")
    boolean longForm;

    @Argument(index = 0, name = "dom", multiValued = true,
            description = "The VMs to list (name, domid or uuid); all of them when none is given")
    @Completion(DomainCompleter.class)
    List<String> doms;

    @Reference
    List<ConfigFormat> formats;

    @Override
    void run(PrintStream out) throws Exception {
        List<DomainView> views = views(doms);
        if (longForm) {
            ConfigFormat sxp = ConfigReader.format(ConfigReader.SXP, formats);
            for (DomainView view : views) {
                out.print(LongListing.of(view, sxp.write(view.config())));
            }
            return;
        }
        out.println(DomainTable.LIST_HEADER);
        for (DomainView view : views) {
            out.println(DomainTable.listLine(view));
        }
    }
}
