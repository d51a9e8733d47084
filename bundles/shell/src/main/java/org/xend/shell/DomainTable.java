package org.xend.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.xend.api.domain.DomainView;

/** The tables xm printed, column for column: {@code xm list} and {@code xm uptime}. */
final class DomainTable {

    static final String LIST_HEADER = String.format(Locale.ROOT, "%-40s %3s %5s %5s %10s %9s",
            "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");

    static final String UPTIME_HEADER = String.format(Locale.ROOT, "%-32s %3s %s", "Name", "ID", "Uptime");

    private static final long MIB = 1024L * 1024L;

    private DomainTable() {
    }

    /**
     * One {@code xm list} line. A VM with a domain shows its domid, its current memory, its online vCPUs, its state
     * flags and its CPU time; a VM without one (a Halted managed VM) shows its configured memory and vCPUs, and
     * leaves ID and State blank, as Xend's SXP had no domid or state for it.
     */
    static String listLine(DomainView view) {
        boolean hasDomain = view.domid() >= 0;
        long memoryMiB = hasDomain ? view.memoryKib() / 1024 : configuredMemoryMiB(view.config().fields());
        return String.format(Locale.ROOT, "%-40s %3s %5d %5d %10s %8.1f",
                name(view),
                hasDomain ? Integer.toString(view.domid()) : "",
                memoryMiB,
                view.onlineVcpus(),
                hasDomain ? StateFlags.of(view) : "",
                view.cpuTimeNs() / 1e9);
    }

    /** One {@code xm uptime} line: the time since the domain started, {@code [N day(s), ]H:MM:SS}. */
    static String uptimeLine(DomainView view, Instant now) {
        return String.format(Locale.ROOT, "%-32s %3s %s", name(view), Integer.toString(view.domid()),
                uptime(Duration.between(view.startTime(), now)));
    }

    static String uptime(Duration elapsed) {
        long total = Math.max(0, Math.round(elapsed.toMillis() / 1000.0));
        long days = total / 86_400;
        long hours = total % 86_400 / 3600;
        long minutes = total % 3600 / 60;
        long seconds = total % 60;
        String prefix = days == 0 ? "" : days + (days == 1 ? " day, " : " days, ");
        return prefix + String.format(Locale.ROOT, "%2d:%02d:%02d", hours, minutes, seconds);
    }

    static String name(DomainView view) {
        Object name = view.config().fields().get("name_label");
        return name == null ? view.ref() : name.toString();
    }

    /** Memory in MiB as xm showed it for a VM without a domain: its dynamic maximum (Xend's {@code memory}). */
    private static long configuredMemoryMiB(Map<String, Object> fields) {
        for (String field : new String[] {"memory_dynamic_max", "memory_static_max"}) {
            Object bytes = fields.get(field);
            if (bytes instanceof Number n) {
                return n.longValue() / MIB;
            }
            if (bytes instanceof String s && !s.isEmpty()) {
                try {
                    return Long.parseLong(s) / MIB;
                } catch (NumberFormatException e) {
                    // not a number: try the next field
                }
            }
        }
        return 0;
    }
}
