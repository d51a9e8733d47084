package org.xend.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm block-detach}: removes a disk from a VM (and from a managed VM's configuration). */
@Service
@Command(scope = "xm", name = "block-detach", description = "Removes a virtual block device from a VM (xm block-detach)")
public class BlockDetachCommand extends DeviceDetach {

    @Override
    String deviceClass() {
        return "vbd";
    }
}
