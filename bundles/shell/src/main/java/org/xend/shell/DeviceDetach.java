package org.xend.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Option;
import org.xend.api.domain.DeviceView;

/** block-detach and network-detach: a device named by devid, name or MAC, detached or forcibly removed. */
abstract class DeviceDetach extends DomainAction {

    @Argument(index = 1, name = "devid", required = true,
            description = "The device: its devid, its name (xvdb, /dev/xvdb), its MAC or its uuid")
    String device;

    @Option(name = "-f", aliases = "--force",
            description = "Remove the device's entries without waiting for its backend to close it")
    boolean force;

    abstract String deviceClass();

    @Override
    void run(PrintStream out) throws Exception {
        String vm = resolve(dom);
        String cls = deviceClass();
        if ("vbd".equals(cls) && domains.devices(vm, "vbd").stream().noneMatch(d -> named(d, device))
                && domains.devices(vm, "tap").stream().anyMatch(d -> named(d, device))) {
            cls = "tap";
        }
        domains.destroyDevice(vm, cls, device, force);
    }

    private static boolean named(DeviceView d, String name) {
        String dev = d.config().options().getOrDefault("dev", "").replaceFirst(":(cdrom|disk)$", "");
        String bare = name.startsWith("/dev/") ? name.substring(5) : name;
        return Integer.toString(d.id()).equals(name) || dev.equals(bare) || name.equals(d.config().uuid());
    }
}
