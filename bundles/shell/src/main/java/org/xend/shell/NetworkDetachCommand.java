package org.xend.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm network-detach}: removes a network interface from a VM (and from a managed VM's configuration). */
@Service
@Command(scope = "xm", name = "network-detach",
        description = "Removes a virtual network interface from a VM (xm network-detach)")
public class NetworkDetachCommand extends DeviceDetach {

    @Override
    String deviceClass() {
        return "vif";
    }
}
