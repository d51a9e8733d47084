package org.xend.api.model;

import static org.xend.api.ErrorCodes.HOST_NOT_ENOUGH_FREE_MEMORY;
import static org.xend.api.ErrorCodes.OPERATION_NOT_ALLOWED;
import static org.xend.api.ErrorCodes.OTHER_OPERATION_IN_PROGRESS;
import static org.xend.api.ErrorCodes.VM_BAD_POWER_STATE;
import static org.xend.api.ErrorCodes.VM_HVM_REQUIRED;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code VM}: every spec field and message, XAPI's {@code allowed_operations}/{@code current_operations}, the
 * optional trailing {@code force} of XAPI's {@code start}/{@code resume}, and Xend's {@code save}/{@code restore}.
 * Power operations need vm-operator, live tuning and migration vm-power-admin; sysrq and trigger injection (as
 * in XAPI) and the calls that read or write an arbitrary file on the host (save, restore) need pool-admin.
 */
final class VmClass {

    private static final String VM_IS_TEMPLATE = "VM_IS_TEMPLATE";
    private static final String VM_MISSING_PV_DRIVERS = "VM_MISSING_PV_DRIVERS";
    private static final String HOST_DISABLED = "HOST_DISABLED";
    private static final String INVALID_VALUE = "INVALID_VALUE";

    private VmClass() {
    }

    static ClassDecl declaration() {
        ClassDecl.Builder vm = ClassDecl.builder(XenApiModel.VM, "A virtual machine (or 'guest')")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .constructor()
                .destructor();
        declareFields(vm);
        declarePowerMessages(vm);
        declareTuningMessages(vm);
        declareXendMessages(vm);
        return vm.build();
    }

    private static void declareFields(ClassDecl.Builder vm) {
        vm.field("power_state", Enums.VM_POWER_STATE, Qualifier.RO_RUN, "Current power state of the machine",
                        "Halted")
                .field("name_label", Type.STRING, Qualifier.RW, "a human-readable name")
                .field("name_description", Type.STRING, Qualifier.RW,
                        "a notes field containing human-readable description")
                .field("user_version", Type.INT, Qualifier.RW, "a user version number for this machine", 1L)
                .field("is_a_template", Type.BOOL, Qualifier.RW,
                        "true if this is a template. Template VMs can never be started, they are used only for "
                                + "cloning other VMs")
                .field("auto_power_on", Type.BOOL, Qualifier.RW,
                        "true if this VM should be started automatically after host boot")
                .field("suspend_VDI", Type.ref(XenApiModel.VDI), Qualifier.RO_RUN,
                        "The VDI that a suspend image is stored on. (Only has meaning if VM is currently suspended)")
                .field("resident_on", Type.ref(XenApiModel.HOST), Qualifier.RO_RUN,
                        "the host the VM is currently resident on")
                .field("memory_static_max", Type.INT, Qualifier.RW,
                        "Statically-set (i.e. absolute) maximum (bytes)")
                .field("memory_dynamic_max", Type.INT, Qualifier.RW, "Dynamic maximum (bytes)")
                .field("memory_dynamic_min", Type.INT, Qualifier.RW, "Dynamic minimum (bytes)")
                .field("memory_static_min", Type.INT, Qualifier.RW,
                        "Statically-set (i.e. absolute) minimum (bytes)")
                .field("VCPUs_params", Type.STRING_MAP, Qualifier.RW,
                        "configuration parameters for the selected VCPU policy")
                .field("VCPUs_max", Type.INT, Qualifier.RW, "Max number of VCPUs", 1L)
                .field("VCPUs_at_startup", Type.INT, Qualifier.RW, "Boot number of VCPUs", 1L)
                .field("actions_after_shutdown", Enums.ON_NORMAL_EXIT, Qualifier.RW,
                        "action to take after the guest has shutdown itself", "destroy")
                .field("actions_after_reboot", Enums.ON_NORMAL_EXIT, Qualifier.RW,
                        "action to take after the guest has rebooted itself", "restart")
                .field("actions_after_crash", Enums.ON_CRASH_BEHAVIOUR, Qualifier.RW,
                        "action to take if the guest crashes", "restart")
                .field("consoles", Type.setOf(Type.ref(XenApiModel.CONSOLE)), Qualifier.RO_RUN,
                        "virtual console devices")
                .field("VIFs", Type.setOf(Type.ref(XenApiModel.VIF)), Qualifier.RO_RUN, "virtual network interfaces")
                .field("VBDs", Type.setOf(Type.ref(XenApiModel.VBD)), Qualifier.RO_RUN, "virtual block devices")
                .field("crash_dumps", Type.setOf(Type.ref(XenApiModel.CRASHDUMP)), Qualifier.RO_RUN,
                        "crash dumps associated with this VM")
                .field("VTPMs", Type.setOf(Type.ref(XenApiModel.VTPM)), Qualifier.RO_RUN, "virtual TPMs")
                .field("PV_bootloader", Type.STRING, Qualifier.RW, "name of or path to bootloader")
                .field("PV_kernel", Type.STRING, Qualifier.RW, "path to the kernel")
                .field("PV_ramdisk", Type.STRING, Qualifier.RW, "path to the initrd")
                .field("PV_args", Type.STRING, Qualifier.RW, "kernel command-line arguments")
                .field("PV_bootloader_args", Type.STRING, Qualifier.RW, "miscellaneous arguments for the bootloader")
                .field("HVM_boot_policy", Type.STRING, Qualifier.RW, "HVM boot policy")
                .field("HVM_boot_params", Type.STRING_MAP, Qualifier.RW, "HVM boot params")
                .field("platform", Type.STRING_MAP, Qualifier.RW, "platform-specific configuration")
                .field("PCI_bus", Type.STRING, Qualifier.RW, "PCI bus path for pass-through devices")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .field("domid", Type.INT, Qualifier.RO_RUN, "domain ID (if available, -1 otherwise)", -1L)
                .field("is_control_domain", Type.BOOL, Qualifier.RO_RUN,
                        "true if this is a control domain (domain 0 or a driver domain)")
                .field("metrics", Type.ref(XenApiModel.VM_METRICS), Qualifier.RO_RUN,
                        "metrics associated with this VM")
                .field("guest_metrics", Type.ref(XenApiModel.VM_GUEST_METRICS), Qualifier.RO_RUN,
                        "metrics associated with the running guest")
                .field("allowed_operations", Type.setOf(Enums.VM_OPERATIONS), Qualifier.RO_RUN,
                        "list of the operations allowed in this state. This list is advisory only and the server "
                                + "state may have changed by the time this field is read by a client.")
                .field("current_operations", Type.mapOf(Type.STRING, Enums.VM_OPERATIONS), Qualifier.RO_RUN,
                        "links each of the running tasks using this object (by reference) to a current_operation "
                                + "enum which describes the nature of the task.");
    }

    private static void declarePowerMessages(ClassDecl.Builder vm) {
        vm.message(MessageDecl.method("clone",
                                "Clones the specified VM, making a new VM. Clone uses the capabilities of the storage "
                                        + "holding the VM's disk images (e.g. copy on write). Only allowed when the "
                                        + "VM is Halted.")
                        .param("new_name", Type.STRING, "The name of the cloned VM")
                        .returns(Type.ref(XenApiModel.VM))
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS)
                        .role(Role.VM_ADMIN))
                .message(MessageDecl.method("start",
                                "Start the specified VM. Only allowed when the VM is Halted.")
                        .param("start_paused", Type.BOOL, "Instantiate VM in paused state if set to true.")
                        .optionalParam("force", Type.BOOL,
                                "Attempt to force the VM to start; accepted for XAPI clients.", Boolean.FALSE)
                        .errors(VM_BAD_POWER_STATE, VM_HVM_REQUIRED, VM_IS_TEMPLATE, HOST_DISABLED,
                                HOST_NOT_ENOUGH_FREE_MEMORY, OTHER_OPERATION_IN_PROGRESS)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("pause", "Pause the specified VM. Only allowed when the VM is Running.")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, OPERATION_NOT_ALLOWED)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("unpause",
                                "Resume the specified VM. Only allowed when the VM is Paused.")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, OPERATION_NOT_ALLOWED)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("clean_shutdown",
                                "Attempt to cleanly shut down the specified VM (the guest must cooperate). Once it "
                                        + "has shut down, the VM's actions_after_shutdown is performed. Only allowed "
                                        + "when the VM is Running.")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, VM_MISSING_PV_DRIVERS,
                                OPERATION_NOT_ALLOWED)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("clean_reboot",
                                "Attempt to cleanly shut down the specified VM (the guest must cooperate). Once it "
                                        + "has shut down, the VM's actions_after_reboot is performed. Only allowed "
                                        + "when the VM is Running.")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, VM_MISSING_PV_DRIVERS,
                                OPERATION_NOT_ALLOWED)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("hard_shutdown",
                                "Stop executing the specified VM without attempting a clean shutdown, then perform "
                                        + "the poweroff action of its configuration.")
                        .errors(VM_BAD_POWER_STATE, OPERATION_NOT_ALLOWED)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("hard_reboot",
                                "Stop executing the specified VM without attempting a clean shutdown, then perform "
                                        + "the reboot action of its configuration.")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, OPERATION_NOT_ALLOWED)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("suspend",
                                "Suspend the specified VM to disk. Only allowed when the VM is Running.")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, VM_MISSING_PV_DRIVERS)
                        .role(Role.VM_OPERATOR))
                .message(MessageDecl.method("resume",
                                "Awaken the specified VM and resume it. Only allowed when the VM is Suspended.")
                        .param("start_paused", Type.BOOL, "Resume VM in paused state if set to true.")
                        .optionalParam("force", Type.BOOL,
                                "Attempt to force the VM to resume; accepted for XAPI clients.", Boolean.FALSE)
                        .errors(VM_BAD_POWER_STATE, HOST_DISABLED, HOST_NOT_ENOUGH_FREE_MEMORY,
                                OTHER_OPERATION_IN_PROGRESS)
                        .role(Role.VM_OPERATOR));
    }

    private static void declareTuningMessages(ClassDecl.Builder vm) {
        vm.message(MessageDecl.method("set_VCPUs_number_live",
                                "Set this VM's VCPUs_at_startup value, and set the same value on the VM, if running.")
                        .param("nvcpu", Type.INT, "The number of VCPUs")
                        .errors(INVALID_VALUE, OTHER_OPERATION_IN_PROGRESS)
                        .role(Role.VM_POWER_ADMIN))
                .message(MessageDecl.method("add_to_VCPUs_params_live",
                                "Add the given key-value pair to VM.VCPUs_params, and apply that value on the "
                                        + "running VM.")
                        .param("key", Type.STRING, "The key")
                        .param("value", Type.STRING, "The value")
                        .errors(VM_BAD_POWER_STATE, INVALID_VALUE)
                        .role(Role.VM_POWER_ADMIN))
                .message(MessageDecl.method("set_memory_dynamic_max_live",
                                "Set memory_dynamic_max in database and on running VM.")
                        .param("max", Type.INT, "The memory_dynamic_max value")
                        .errors(INVALID_VALUE)
                        .role(Role.VM_POWER_ADMIN))
                .message(MessageDecl.method("set_memory_dynamic_min_live",
                                "Set memory_dynamic_min in database and on running VM.")
                        .param("min", Type.INT, "The memory_dynamic_min value")
                        .errors(INVALID_VALUE)
                        .role(Role.VM_POWER_ADMIN))
                .message(MessageDecl.method("send_sysrq",
                                "Send the given key as a sysrq to this VM. The key is a single character (a string "
                                        + "of length 1). Only allowed when the VM is Running.")
                        .param("key", Type.STRING, "The key to send")
                        .errors(VM_BAD_POWER_STATE, INVALID_VALUE)
                        .role(Role.POOL_ADMIN))
                .message(MessageDecl.method("send_trigger",
                                "Send the named trigger to this VM. Only allowed when the VM is Running.")
                        .param("trigger", Type.STRING, "The trigger to send")
                        .errors(VM_BAD_POWER_STATE, INVALID_VALUE)
                        .role(Role.POOL_ADMIN))
                .message(MessageDecl.method("migrate",
                                "Migrate the VM to another host's relocation server. Only allowed when the VM is "
                                        + "Running or Paused. Options: port (the destination's relocation port; "
                                        + "default this host's, 8002), resource (accepted and ignored, as Xend did).")
                        .param("dest", Type.STRING, "The destination host")
                        .param("live", Type.BOOL, "Live migration")
                        .param("options", Type.STRING_MAP, "Other parameters")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, OPERATION_NOT_ALLOWED,
                                "VM_MIGRATE_FAILED")
                        .role(Role.VM_POWER_ADMIN));
    }

    /** Xend's extras: they read or write a file anywhere on the host, hence pool-admin. */
    private static void declareXendMessages(ClassDecl.Builder vm) {
        vm.message(MessageDecl.method("save",
                                "Save the VM's memory image to the given file on the host (Xend extension). The domain "
                                        + "stops unless checkpoint is true, in which case it keeps running.")
                        .param("path", Type.STRING, "Path of the image file to write on the host")
                        .param("checkpoint", Type.BOOL, "Leave the VM running after saving if set to true.")
                        .errors(VM_BAD_POWER_STATE, OTHER_OPERATION_IN_PROGRESS, "VM_CHECKPOINT_SUSPEND_FAILED")
                        .role(Role.POOL_ADMIN))
                .message(MessageDecl.function("restore",
                                "Restore a VM from an image file on the host written by VM.save (Xend extension).")
                        .param("path", Type.STRING, "Path of the image file to read on the host")
                        .param("paused", Type.BOOL, "Restore the VM in paused state if set to true.")
                        .errors(INVALID_VALUE, HOST_DISABLED, HOST_NOT_ENOUGH_FREE_MEMORY)
                        .role(Role.POOL_ADMIN));
    }
}
