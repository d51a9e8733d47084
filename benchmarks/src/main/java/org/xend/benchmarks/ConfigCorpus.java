package org.xend.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A corpus of hand-written xm configuration files in the shapes operators wrote them: paravirtual guests with a
 * kernel from dom0, pygrub guests, HVM guests with a CD-ROM and emulated NICs, and NFS-root guests; comments,
 * concatenation, %-formatting and helper variables included. Deterministic, so every run measures the same text.
 */
public final class ConfigCorpus {

    private ConfigCorpus() {
    }

    /** {@code count} xm files, four shapes in turn. */
    public static List<String> xmFiles(int count) {
        List<String> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            files.add(switch (i % 4) {
                case 0 -> paravirtual(i);
                case 1 -> pygrub(i);
                case 2 -> hvm(i);
                default -> nfsRoot(i);
            });
        }
        return files;
    }

    private static String common(int i, String role) {
        return String.format("""
                # %1$s server %2$d, managed with xm new / xm start.
                # Owner: operations.  Last changed by hand; keep the MAC addresses stable.

                vmid = %2$d
                name = "%1$s-" + "%%02d" %% vmid
                uuid = "%3$08x-%4$04x-4%5$03x-8%6$03x-%7$012x"
                memory = %8$d
                maxmem = %9$d
                vcpus = %10$d
                on_poweroff = 'destroy'
                on_reboot   = 'restart'
                on_crash    = '%11$s'
                """, role, i, 0x1000 * i + 7, i & 0xffff, i & 0xfff, (i * 7) & 0xfff, 0x5eed00L + i,
                128 << (i % 4), 256 << (i % 4), 1 + i % 4, i % 3 == 0 ? "rename-restart" : "restart");
    }

    private static String vifs(int i, int count) {
        StringBuilder vif = new StringBuilder("vif = [ ");
        for (int n = 0; n < count; n++) {
            vif.append(n == 0 ? "" : ",\n        ")
                    .append(String.format("'mac=00:16:3e:%02x:%02x:%02x, bridge=xenbr%d, rate=%dMb/s'",
                            i / 256, i % 256, n, n, 10 * (n + 1)));
        }
        return vif.append(" ]\n").toString();
    }

    private static String paravirtual(int i) {
        return common(i, "web") + String.format("""
                kernel = "/boot/vmlinuz-2.6.18-53.el5xen"
                ramdisk = "/boot/initrd-2.6.18-53.el5xen.img"
                vg = '/dev/vg0/'                  # helper, not a key
                disk = [ 'phy:' + vg + name + '-root,xvda,w',
                         'phy:%%s%%s-swap,xvdb,w' %% (vg, name),
                         'tap:aio:/var/lib/xen/images/' + name + '-data.img,xvdc,w' ]
                root = "/dev/xvda1 ro"
                extra = "console=xvc0 " \\
                        "xencons=tty"
                cpus = "0-3,^%d"
                """, i % 4) + vifs(i, 2);
    }

    private static String pygrub(int i) {
        return common(i, "db") + """
                bootloader = "pygrub"
                disk = [ 'phy:/dev/vg1/' + name + ',xvda,w', 'file:/srv/xen/' + name + '-logs.img,xvdb,w' ]
                on_xend_start = 'start'
                on_xend_stop = 'shutdown'
                """ + vifs(i, 1);
    }

    private static String hvm(int i) {
        return common(i, "win") + String.format("""
                kernel = "/usr/lib/xen/boot/hvmloader"
                builder = 'hvm'
                device_model = '/usr/lib/xen/bin/qemu-dm'
                disk = [ 'phy:/dev/vg2/%s-c,ioemu:hda,w', 'file:/srv/iso/install.iso,hdc:cdrom,r' ]
                boot = "dc"
                acpi = 1; apic = 1; pae = 1
                vnc = 1; vncunused = 1; vnclisten = "127.0.0.1"
                serial = 'pty'
                usb = 1; usbdevice = 'tablet'
                localtime = 1
                """, "win" + i) + "vif = [ 'type=ioemu, model=rtl8139, bridge=xenbr0', 'type=ioemu, bridge=xenbr1' ]\n";
    }

    private static String nfsRoot(int i) {
        return common(i, "node") + String.format("""
                kernel = "/boot/vmlinuz-2.6.18-xenU"
                root = "/dev/nfs"
                ip = "10.0.%d.%d"
                gateway = "10.0.0.1"
                netmask = "255.255.0.0"
                hostname = name
                nfs_server = '10.0.0.2'
                nfs_root = '/export/nodes/' + name
                """, i / 200, i % 200 + 10) + vifs(i, 1);
    }
}
