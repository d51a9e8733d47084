package org.xend.api.model;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code host}: exactly the spec's fields (it already has {@code other_config}). Setters and power control need
 * pool-operator, as in XAPI; clearing the hypervisor ring and injecting debug keys need pool-admin.
 */
final class HostClass {

    private HostClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.HOST, "A physical host")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .field("name_label", Type.STRING, Qualifier.RW, "a human-readable name")
                .field("name_description", Type.STRING, Qualifier.RW,
                        "a notes field containing human-readable description")
                .field("API_version_major", Type.INT, Qualifier.RO_RUN, "major version number",
                        XenApiModel.API_VERSION_MAJOR)
                .field("API_version_minor", Type.INT, Qualifier.RO_RUN, "minor version number",
                        XenApiModel.API_VERSION_MINOR)
                .field("API_version_vendor", Type.STRING, Qualifier.RO_RUN, "identification of vendor",
                        XenApiModel.API_VERSION_VENDOR)
                .field("API_version_vendor_implementation", Type.STRING_MAP, Qualifier.RO_RUN,
                        "details of vendor implementation")
                .field("enabled", Type.BOOL, Qualifier.RO_RUN, "True if the host is currently enabled", Boolean.TRUE)
                .field("software_version", Type.STRING_MAP, Qualifier.RO_RUN, "version strings")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .field("capabilities", Type.STRING_SET, Qualifier.RO_RUN, "Xen capabilities")
                .field("cpu_configuration", Type.STRING_MAP, Qualifier.RO_RUN,
                        "The CPU configuration on this host. May contain keys such as \"nr_nodes\", "
                                + "\"sockets_per_node\", \"cores_per_socket\", or \"threads_per_core\"")
                .field("sched_policy", Type.STRING, Qualifier.RO_RUN,
                        "Scheduler policy currently in force on this host")
                .field("supported_bootloaders", Type.STRING_SET, Qualifier.RO_RUN,
                        "a list of the bootloaders installed on the machine")
                .field("resident_VMs", Type.setOf(Type.ref(XenApiModel.VM)), Qualifier.RO_RUN,
                        "list of VMs currently resident on host")
                .field("logging", Type.STRING_MAP, Qualifier.RW, "logging configuration")
                .field("PIFs", Type.setOf(Type.ref(XenApiModel.PIF)), Qualifier.RO_RUN, "physical network interfaces")
                .field("suspend_image_sr", Type.ref(XenApiModel.SR), Qualifier.RW,
                        "The SR in which VDIs for suspend images are created")
                .field("crash_dump_sr", Type.ref(XenApiModel.SR), Qualifier.RW,
                        "The SR in which VDIs for crash dumps are created")
                .field("PBDs", Type.setOf(Type.ref(XenApiModel.PBD)), Qualifier.RO_RUN, "physical blockdevices")
                .field("host_CPUs", Type.setOf(Type.ref(XenApiModel.HOST_CPU)), Qualifier.RO_RUN,
                        "The physical CPUs on this host")
                .field("metrics", Type.ref(XenApiModel.HOST_METRICS), Qualifier.RO_RUN,
                        "metrics associated with this host")
                .message(MessageDecl.method("disable",
                                "Puts the host into a state in which no new VMs can be started. Currently active VMs "
                                        + "on the host continue to execute.")
                        .role(Role.POOL_OPERATOR))
                .message(MessageDecl.method("enable", "Puts the host into a state in which new VMs can be started.")
                        .role(Role.POOL_OPERATOR))
                .message(MessageDecl.method("shutdown",
                                "Shutdown the host. Only allowed when the host is disabled and no VMs are running "
                                        + "on it.")
                        .errors("HOST_NOT_DISABLED", ErrorCodes.OPERATION_NOT_ALLOWED)
                        .role(Role.POOL_OPERATOR))
                .message(MessageDecl.method("reboot",
                                "Reboot the host. Only allowed when the host is disabled and no VMs are running "
                                        + "on it.")
                        .errors("HOST_NOT_DISABLED", ErrorCodes.OPERATION_NOT_ALLOWED)
                        .role(Role.POOL_OPERATOR))
                .message(MessageDecl.method("dmesg", "Get the host xen dmesg.")
                        .returns(Type.STRING)
                        .role(Role.POOL_OPERATOR))
                .message(MessageDecl.method("dmesg_clear", "Get the host xen dmesg, and clear the buffer.")
                        .returns(Type.STRING)
                        .role(Role.POOL_ADMIN))
                .message(MessageDecl.method("get_log", "Get the host's log file.")
                        .returns(Type.STRING)
                        .role(Role.POOL_OPERATOR))
                .message(MessageDecl.method("send_debug_keys", "Inject the given string as debugging keys into Xen.")
                        .param("keys", Type.STRING, "The keys to send")
                        .role(Role.POOL_ADMIN))
                .message(MessageDecl.function("list_methods", "List all supported methods.")
                        .returns(Type.STRING_SET)
                        .role(Role.READ_ONLY))
                .build();
    }
}
