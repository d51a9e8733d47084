package org.xend.shell;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.xend.api.spi.config.DeviceConfig;

/** {@code xm network-attach}: adds a network interface; a running VM gets it at once. */
@Service
@Command(scope = "xm", name = "network-attach",
        description = "Adds a virtual network interface to a VM; a running VM gets it at once (xm network-attach)")
public class NetworkAttachCommand extends DomainAction {

    static final List<String> KEYS = List.of("type", "mac", "bridge", "ip", "script", "backend", "vifname", "rate",
            "model");

    @Argument(index = 1, name = "options", multiValued = true,
            description = "key=value: type, mac, bridge, ip, script, backend, vifname, rate, model")
    List<String> settings;

    @Override
    void run(PrintStream out) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String setting : settings == null ? List.<String>of() : settings) {
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq);
            if (eq < 0 || !KEYS.contains(key)) {
                throw new CommandException("Invalid network-attach option '" + setting + "': expected key=value "
                        + "with a key among " + String.join(", ", KEYS));
            }
            options.put(key, setting.substring(eq + 1));
        }
        int id = domains.createDevice(resolve(dom), new DeviceConfig("vif", "", options));
        out.println("Attached vif " + id);
    }
}
