package org.xend.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm network-list}: a VM's virtual network interfaces. */
@Service
@Command(scope = "xm", name = "network-list", description = "Lists a VM's virtual network interfaces (xm network-list)")
public class NetworkListCommand extends DeviceListing {

    @Override
    List<String> deviceClasses() {
        return List.of("vif");
    }

    @Override
    List<String[]> columns() {
        return List.of(new String[] {"BE", "backend-id", "3"}, new String[] {"MAC Addr.", "mac", "17"},
                new String[] {"handle", "handle"}, new String[] {"state", "state", "5"},
                new String[] {"evt-ch", "event-channel"}, new String[] {"tx-ring-ref", "tx-ring-ref", "11"},
                new String[] {"rx-ring-ref", "rx-ring-ref", "11"}, new String[] {"BE-path", "backend", "1"});
    }
}
