package org.xend.api.model;

import java.util.List;

import org.xend.api.datamodel.Type;

/**
 * The enumerations of the Xen API 1.0 spec, plus {@code vm_operations} from XAPI. Values travel as the strings
 * listed here. {@code vm_power_state} carries {@code Crashed} because our lifecycle has a Crashed state.
 */
public final class Enums {

    public static final Type.Enum VM_POWER_STATE = new Type.Enum("vm_power_state",
            List.of("Halted", "Paused", "Running", "Suspended", "Crashed", "Unknown"));

    public static final Type.Enum ON_NORMAL_EXIT = new Type.Enum("on_normal_exit", List.of("destroy", "restart"));

    public static final Type.Enum ON_CRASH_BEHAVIOUR = new Type.Enum("on_crash_behaviour",
            List.of("destroy", "coredump_and_destroy", "restart", "coredump_and_restart", "preserve",
                    "rename_restart"));

    public static final Type.Enum TASK_STATUS_TYPE = new Type.Enum("task_status_type",
            List.of("pending", "success", "failure", "cancelling", "cancelled"));

    public static final Type.Enum TASK_ALLOWED_OPERATIONS = new Type.Enum("task_allowed_operations",
            List.of("Cancel"));

    public static final Type.Enum EVENT_OPERATION = new Type.Enum("event_operation", List.of("add", "del", "mod"));

    public static final Type.Enum CONSOLE_PROTOCOL = new Type.Enum("console_protocol",
            List.of("vt100", "rfb", "rdp"));

    public static final Type.Enum VDI_TYPE = new Type.Enum("vdi_type",
            List.of("system", "user", "ephemeral", "suspend", "crashdump"));

    public static final Type.Enum VBD_MODE = new Type.Enum("vbd_mode", List.of("RO", "RW"));

    public static final Type.Enum VBD_TYPE = new Type.Enum("vbd_type", List.of("CD", "Disk"));

    /**
     * Operations that may act on a VM, named after the VM messages that perform them. XAPI's spelling is used
     * where XAPI has the same operation ({@code pool_migrate} for {@code VM.migrate}, {@code changing_VCPUs_live}
     * and {@code changing_memory_live} for the live tuning calls); {@code save} is Xend's {@code VM.save}.
     */
    public static final Type.Enum VM_OPERATIONS = new Type.Enum("vm_operations",
            List.of("clone", "start", "pause", "unpause", "clean_shutdown", "clean_reboot", "hard_shutdown",
                    "hard_reboot", "suspend", "resume", "save", "pool_migrate", "send_sysrq", "send_trigger",
                    "changing_VCPUs_live", "changing_memory_live", "destroy"));

    /** Every enumeration above, for the API reference and for checks that want the whole set. */
    public static final List<Type.Enum> ALL = List.of(VM_POWER_STATE, ON_NORMAL_EXIT, ON_CRASH_BEHAVIOUR,
            TASK_STATUS_TYPE, TASK_ALLOWED_OPERATIONS, EVENT_OPERATION, CONSOLE_PROTOCOL, VDI_TYPE, VBD_MODE,
            VBD_TYPE, VM_OPERATIONS);

    private Enums() {
    }
}
