package org.xend.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Option;
import org.xend.api.domain.DeviceView;
import org.xend.api.domain.DomainView;

/**
 * block-list and network-list: a running VM's devices as xm showed them, one line each from their frontend
 * entries; a VM without a domain, its configured devices.
 */
abstract class DeviceListing extends DomainAction {

    @Option(name = "-l", aliases = "--long", description = "Print each device's entries as an SXP")
    boolean longListing;

    abstract List<String> deviceClasses();

    /** The columns of the table after the devid: header and frontend key. */
    abstract List<String[]> columns();

    @Override
    void run(PrintStream out) throws Exception {
        String vm = resolve(dom);
        DomainView view = domains.view(vm);
        List<DeviceView> devices = new ArrayList<>();
        for (String cls : deviceClasses()) {
            if ("tap".equals(cls) && view.config().devices().stream().noneMatch(d -> "tap".equals(d.deviceClass()))) {
                continue; // a tap controller may be absent; only ask when the VM has tap disks
            }
            devices.addAll(domains.devices(vm, cls));
        }
        boolean running = view.domid() >= 0;
        if (longListing || !running) {
            for (DeviceView d : devices) {
                out.println(running ? "(" + d.id() + " " + sxp(d.frontend()) + ")"
                        : "(" + d.id() + " (" + d.config().deviceClass() + " " + sxp(d.config().options()) + "))");
            }
            return;
        }
        StringBuilder header = new StringBuilder(String.format("%-6s", "Idx"));
        for (String[] c : columns()) {
            header.append(' ').append(String.format("%-" + width(c) + "s", c[0]));
        }
        out.println(header.toString().stripTrailing());
        for (DeviceView d : devices) {
            StringBuilder line = new StringBuilder(String.format("%-6d", d.id()));
            for (String[] c : columns()) {
                line.append(' ').append(String.format("%-" + width(c) + "s", d.frontend().getOrDefault(c[1], "-1")));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static int width(String[] column) {
        return column.length > 2 ? Integer.parseInt(column[2]) : Math.max(column[0].length(), 6);
    }

    private static String sxp(Map<String, String> entries) {
        StringBuilder out = new StringBuilder();
        entries.forEach((k, v) -> out.append(" (").append(k).append(' ').append(v.isEmpty() ? "''" : v).append(')'));
        return out.toString().strip();
    }
}
