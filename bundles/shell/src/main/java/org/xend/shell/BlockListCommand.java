package org.xend.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code xm block-list}: a VM's virtual block devices. */
@Service
@Command(scope = "xm", name = "block-list", description = "Lists a VM's virtual block devices (xm block-list)")
public class BlockListCommand extends DeviceListing {

    @Override
    List<String> deviceClasses() {
        return List.of("vbd", "tap");
    }

    @Override
    List<String[]> columns() {
        return List.of(new String[] {"BE", "backend-id", "3"}, new String[] {"handle", "virtual-device"},
                new String[] {"state", "state", "5"}, new String[] {"evt-ch", "event-channel"},
                new String[] {"ring-ref", "ring-ref", "8"}, new String[] {"BE-path", "backend", "1"});
    }
}
