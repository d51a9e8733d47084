package org.xend.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.hypervisor.SchedSedf;

/**
 * {@code xm sched-sedf}: shows the SEDF scheduler's parameters of the running VMs (or one), times in milliseconds,
 * or sets those given as options, keeping the others.
 */
@Service
@Command(scope = "xm", name = "sched-sedf",
        description = "Shows or sets the SEDF scheduler's parameters, times in ms (xm sched-sedf)")
public class SchedSedfCommand extends HypervisorAction {

    static final String HEADER = String.format("%-33s %-2s %-4s %-4s %-7s %-5s %-6s", "Name", "ID", "Period(ms)",
            "Slice(ms)", "Lat(ms)", "Extra", "Weight");
    private static final double NS_PER_MS = 1_000_000.0;

    @Argument(index = 0, name = "dom", description = "The VM (name, domid or uuid); every running one when none is "
            + "given")
    @Completion(DomainCompleter.class)
    String dom;

    @Option(name = "-p", aliases = "--period", description = "Period (ms)")
    Double period;

    @Option(name = "-s", aliases = "--slice", description = "Slice (ms)")
    Double slice;

    @Option(name = "-l", aliases = "--latency", description = "Latency (ms)")
    Double latency;

    @Option(name = "-e", aliases = "--extratime", description = "Extra time: 1 to run beyond the slice, 0 not to")
    Integer extratime;

    @Option(name = "-w", aliases = "--weight", description = "Weight (0: driven by period and slice)")
    Integer weight;

    @Override
    void run(PrintStream out) throws Exception {
        if (!"sedf".equals(hypervisor.scheduler())) {
            throw new CommandException("Xen is running with the " + hypervisor.scheduler() + " scheduler");
        }
        boolean setting = period != null || slice != null || latency != null || extratime != null || weight != null;
        if (setting && dom == null) {
            throw new CommandException("Setting SEDF parameters needs a VM");
        }
        List<DomainView> views = views(dom == null ? null : List.of(dom)).stream()
                .filter(v -> v.domid() >= 0).toList();
        if (dom != null && views.isEmpty()) {
            throw new CommandException("Domain '" + dom + "' is not running.");
        }
        if (!setting) {
            out.println(HEADER);
        }
        for (DomainView view : views) {
            SchedSedf current = domains.schedSedf(view.ref());
            if (setting) {
                domains.setSchedSedf(view.ref(), new SchedSedf(
                        period != null ? nanos(period) : current.periodNs(),
                        slice != null ? nanos(slice) : current.sliceNs(),
                        latency != null ? nanos(latency) : current.latencyNs(),
                        extratime != null ? (extratime & 1) != 0 : current.extratime(),
                        weight != null ? weight : current.weight()));
            } else {
                out.println(line(DomainTable.name(view), view.domid(), current));
            }
        }
    }

    static String line(String name, int domid, SchedSedf s) {
        return String.format(Locale.ROOT, "%-32s %3d %9.1f %9.1f %7.1f %6d %6d", name, domid, s.periodNs() / NS_PER_MS,
                s.sliceNs() / NS_PER_MS, s.latencyNs() / NS_PER_MS, s.extratime() ? 1 : 0, s.weight());
    }

    private static long nanos(double ms) throws CommandException {
        if (!(ms >= 0) || ms > Long.MAX_VALUE / NS_PER_MS) {
            throw new CommandException("Invalid time " + ms + " ms");
        }
        return Math.round(ms * NS_PER_MS);
    }
}
