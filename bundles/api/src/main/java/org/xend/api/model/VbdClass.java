package org.xend.api.model;

import static org.xend.api.ErrorCodes.HANDLE_INVALID;
import static org.xend.api.ErrorCodes.OPERATION_NOT_ALLOWED;
import static org.xend.api.ErrorCodes.VM_BAD_POWER_STATE;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code VBD} and {@code VBD_metrics}: spec fields plus XAPI's {@code other_config}. vm-admin for changes and
 * hot-plugging, vm-operator for changing a CD (XAPI's roles for eject/insert, which replaced media_change). A new
 * VBD is a read-write disk unless the constructor says otherwise.
 */
final class VbdClass {

    private VbdClass() {
    }

    static ClassDecl declaration() {
        ClassDecl.Builder vbd = ClassDecl.builder(XenApiModel.VBD, "A virtual block device")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .constructor("DEVICE_ALREADY_EXISTS", "INVALID_DEVICE")
                .destructor(OPERATION_NOT_ALLOWED, "DEVICE_DETACH_REJECTED")
                .field("VM", Type.ref(XenApiModel.VM), Qualifier.RO_INS, "the virtual machine")
                .field("VDI", Type.ref(XenApiModel.VDI), Qualifier.RO_INS, "the virtual disk")
                .field("device", Type.STRING, Qualifier.RW, "device seen by the guest e.g. hda1")
                .field("bootable", Type.BOOL, Qualifier.RW, "true if this VBD is bootable")
                .field("mode", Enums.VBD_MODE, Qualifier.RW, "the mode the VBD should be mounted with", "RW")
                .field("type", Enums.VBD_TYPE, Qualifier.RW,
                        "how the VBD will appear to the guest (e.g. disk or CD)", "Disk");
        return DeviceFields.attachmentFields(vbd, XenApiModel.VBD, XenApiModel.VBD_METRICS)
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .message(MessageDecl.method("media_change",
                                "Change the media in the device for CDROM-like devices only. For other devices, "
                                        + "detach the VBD and attach a new one.")
                        .param("vdi", Type.ref(XenApiModel.VDI), "The new VDI to 'insert'")
                        .errors(HANDLE_INVALID, "VBD_NOT_REMOVABLE_MEDIA")
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("plug",
                                "Hotplug the specified VBD, dynamically attaching it to the running VM.")
                        .errors(VM_BAD_POWER_STATE, "DEVICE_ALREADY_ATTACHED", "VDI_IN_USE")
                        .role(Role.VM_ADMIN))
                .message(MessageDecl.method("unplug",
                                "Hot-unplug the specified VBD, dynamically unattaching it from the running VM.")
                        .errors(VM_BAD_POWER_STATE, "DEVICE_ALREADY_DETACHED", "DEVICE_DETACH_REJECTED")
                        .role(Role.VM_ADMIN))
                .build();
    }

    static ClassDecl metricsDeclaration() {
        return DeviceFields.ioMetrics(XenApiModel.VBD_METRICS, "The metrics associated with a virtual block device",
                Role.VM_ADMIN);
    }
}
