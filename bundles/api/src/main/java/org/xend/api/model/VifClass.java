package org.xend.api.model;

import static org.xend.api.ErrorCodes.OPERATION_NOT_ALLOWED;
import static org.xend.api.ErrorCodes.VM_BAD_POWER_STATE;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code VIF} and {@code VIF_metrics}: spec fields plus XAPI's {@code other_config}. Everything needs vm-admin, as
 * in XAPI. Hot-plugging needs a running VM; the errors are XAPI's.
 */
final class VifClass {

    /** Xend reports 1500 for every VIF, and it is Ethernet's default. */
    static final long DEFAULT_MTU = 1500L;

    private VifClass() {
    }

    static ClassDecl declaration() {
        ClassDecl.Builder vif = ClassDecl.builder(XenApiModel.VIF, "A virtual network interface")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .constructor("DEVICE_ALREADY_EXISTS", "INVALID_DEVICE", "INVALID_VALUE")
                .destructor(OPERATION_NOT_ALLOWED, "DEVICE_DETACH_REJECTED")
                .field("device", Type.STRING, Qualifier.RW, "name of network device as exposed to guest e.g. eth0")
                .field("network", Type.ref(XenApiModel.NETWORK), Qualifier.RO_INS,
                        "virtual network to which this vif is connected")
                .field("VM", Type.ref(XenApiModel.VM), Qualifier.RO_INS,
                        "virtual machine to which this vif is connected")
                .field("MAC", Type.STRING, Qualifier.RW,
                        "ethernet MAC address of virtual interface, as exposed to guest")
                .field("MTU", Type.INT, Qualifier.RW, "MTU in octets", DEFAULT_MTU);
        return DeviceFields.attachmentFields(vif, XenApiModel.VIF, XenApiModel.VIF_METRICS)
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .message(MessageDecl.method("plug",
                                "Hotplug the specified VIF, dynamically attaching it to the running VM.")
                        .errors(VM_BAD_POWER_STATE, "DEVICE_ALREADY_ATTACHED")
                        .role(Role.VM_ADMIN))
                .message(MessageDecl.method("unplug",
                                "Hot-unplug the specified VIF, dynamically unattaching it from the running VM.")
                        .errors(VM_BAD_POWER_STATE, "DEVICE_ALREADY_DETACHED", "DEVICE_DETACH_REJECTED")
                        .role(Role.VM_ADMIN))
                .build();
    }

    static ClassDecl metricsDeclaration() {
        return DeviceFields.ioMetrics(XenApiModel.VIF_METRICS, "The metrics associated with a virtual network device",
                Role.VM_ADMIN);
    }
}
