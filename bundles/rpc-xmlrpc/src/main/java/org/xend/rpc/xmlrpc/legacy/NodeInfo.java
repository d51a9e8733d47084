package org.xend.rpc.xmlrpc.legacy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.PhysInfo;
import org.xend.api.spi.hypervisor.VersionInfo;

/**
 * {@code xend.node.info}: Xend's {@code [key, value]} pairs in its order: the host's uname, the hypervisor's
 * physinfo (memory in MiB), its version, and {@code xend_config_format}. xm prints everything after the first pair.
 */
final class NodeInfo {

    /** The format of Xend's configuration and SXP this daemon speaks (Xend 3.1). */
    static final int XEND_CONFIG_FORMAT = 4;

    private static final Path KERNEL = Path.of("/proc/sys/kernel");

    private NodeInfo() {
    }

    static List<Object> of(Hypervisor hypervisor) {
        List<Object> info = new ArrayList<>();
        uname(info);
        PhysInfo phys = hypervisor.physinfo();
        pair(info, "nr_cpus", phys.nrCpus());
        pair(info, "nr_nodes", phys.nrNodes());
        pair(info, "sockets_per_node", phys.socketsPerNode());
        pair(info, "cores_per_socket", phys.coresPerSocket());
        pair(info, "threads_per_core", phys.threadsPerCore());
        pair(info, "cpu_mhz", Math.toIntExact(phys.cpuKhz() / 1000));
        pair(info, "hw_caps", phys.hwCaps());
        pair(info, "total_memory", Math.toIntExact(phys.totalMemoryKib() / 1024));
        pair(info, "free_memory", Math.toIntExact(phys.freeMemoryKib() / 1024));
        VersionInfo v = hypervisor.version();
        pair(info, "xen_major", v.xenMajor());
        pair(info, "xen_minor", v.xenMinor());
        pair(info, "xen_extra", v.xenExtra());
        pair(info, "xen_caps", v.xenCaps());
        pair(info, "xen_scheduler", v.scheduler());
        pair(info, "xen_pagesize", Math.toIntExact(v.xenPagesize()));
        pair(info, "platform_params", v.platformParams());
        pair(info, "xen_changeset", v.xenChangeset());
        pair(info, "cc_compiler", v.ccCompiler());
        pair(info, "cc_compile_by", v.ccCompileBy());
        pair(info, "cc_compile_domain", v.ccCompileDomain());
        pair(info, "cc_compile_date", v.ccCompileDate());
        pair(info, "xend_config_format", XEND_CONFIG_FORMAT);
        return info;
    }

    /** os.uname() of the control domain: the kernel's own words where Linux tells them, else the JVM's. */
    private static void uname(List<Object> info) {
        pair(info, "system", kernel("ostype", System.getProperty("os.name", "Linux")));
        pair(info, "host", hostname());
        pair(info, "release", kernel("osrelease", System.getProperty("os.version", "")));
        pair(info, "version", kernel("version", ""));
        pair(info, "machine", machine(System.getProperty("os.arch", "")));
    }

    /** uname's machine names, where the JVM's differ. */
    static String machine(String javaArch) {
        return switch (javaArch) {
            case "amd64" -> "x86_64";
            case "x86", "i386" -> "i686";
            case "arm64" -> "aarch64";
            default -> javaArch;
        };
    }

    private static String kernel(String entry, String fallback) {
        try {
            String value = Files.readString(KERNEL.resolve(entry), StandardCharsets.UTF_8).trim();
            return value.isEmpty() ? fallback : value;
        } catch (IOException | SecurityException e) {
            return fallback;
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return kernel("hostname", "localhost");
        }
    }

    private static void pair(List<Object> info, String key, Object value) {
        info.add(List.of(key, value == null ? "" : value));
    }
}
