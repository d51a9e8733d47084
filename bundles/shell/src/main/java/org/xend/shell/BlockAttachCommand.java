package org.xend.shell;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.xend.api.spi.config.DeviceConfig;

/** {@code xm block-attach}: adds a disk; a running VM gets it at once, once its backend has connected it. */
@Service
@Command(scope = "xm", name = "block-attach",
        description = "Adds a virtual block device to a VM; a running VM gets it at once (xm block-attach)")
public class BlockAttachCommand extends DomainAction {

    @Argument(index = 1, name = "backdev", required = true,
            description = "The disk in domain 0 as a uname: phy:/dev/vg/lv, file:/img, tap:aio:/img")
    String backDev;

    @Argument(index = 2, name = "frontdev", required = true,
            description = "The name the guest sees: xvdb, hdc, hdc:cdrom, sda1")
    String frontDev;

    @Argument(index = 3, name = "mode", required = true, description = "r (read-only), w, or w! (shared writable)")
    String mode;

    @Argument(index = 4, name = "backdomain", description = "The domain serving the disk (domain 0 only)")
    String backDomain;

    @Override
    void run(PrintStream out) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("uname", backDev);
        options.put("dev", frontDev);
        options.put("mode", mode);
        if (backDomain != null) {
            options.put("backend", backDomain);
        }
        String cls = backDev.startsWith("tap:") ? "tap" : "vbd";
        int id = domains.createDevice(resolve(dom), new DeviceConfig(cls, "", options));
        out.println("Attached " + cls + " " + frontDev + " (devid " + id + ")");
    }
}
