package org.xend.api.model;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.Datamodel;

/**
 * Every error code the daemon may send, with its parameter names in wire order: the codes of the Xen API 1.0
 * spec, the XAPI codes today's clients understand, and Xend's own extras.
 */
final class Errors {

    private Errors() {
    }

    static void declare(Datamodel.Builder model) {
        declareSpecErrors(model);
        declareXapiErrors(model);
        declareXendErrors(model);
    }

    /** The fifteen codes of the Xen API 1.0 spec. */
    private static void declareSpecErrors(Datamodel.Builder model) {
        model.error(ErrorCodes.HANDLE_INVALID,
                "The reference given does not name an existing object of the class; it may have been deleted.",
                "class", "handle");
        model.error(ErrorCodes.INTERNAL_ERROR,
                "The server failed to handle the request because of an internal error.",
                "message");
        model.error(ErrorCodes.MAP_DUPLICATE_KEY,
                "The key is already in the map; the key, its current value and the rejected value are echoed.",
                "key", "current", "new");
        model.error(ErrorCodes.MESSAGE_METHOD_UNKNOWN,
                "No method of that name exists.",
                "method");
        model.error(ErrorCodes.MESSAGE_PARAMETER_COUNT_MISMATCH,
                "The method was called with the wrong number of parameters (the counts include the session).",
                "method", "expected", "received");
        model.error("NETWORK_ALREADY_CONNECTED",
                "The network is already attached to another PIF.",
                "network", "connected_PIF");
        model.error(ErrorCodes.OPERATION_NOT_ALLOWED,
                "The operation is not allowed on this object in its current state.");
        model.error("PIF_IS_PHYSICAL",
                "The PIF is part of the physical host configuration and cannot be destroyed.",
                "PIF");
        model.error(ErrorCodes.SESSION_AUTHENTICATION_FAILED,
                "The credentials are incorrect; no session was created.");
        model.error(ErrorCodes.SESSION_INVALID,
                "The session handle is unknown, logged out or expired; log in again.",
                "handle");
        model.error(ErrorCodes.SESSION_NOT_REGISTERED,
                "The session has not registered for events; call event.register before event.next.",
                "handle");
        model.error(ErrorCodes.VALUE_NOT_SUPPORTED,
                "This implementation does not support the value given for the field.",
                "field", "value", "reason");
        model.error("VLAN_TAG_INVALID",
                "The VLAN tag must be between 0 and 4095.",
                "VLAN");
        model.error(ErrorCodes.VM_BAD_POWER_STATE,
                "The VM is not in a power state that allows the operation; the expected and actual states are given.",
                "vm", "expected", "actual");
        model.error(ErrorCodes.VM_HVM_REQUIRED,
                "The operation needs HVM support, which this host or VM lacks.",
                "vm");
    }

    /** Codes added by XAPI that clients such as the Citrix Hypervisor SDK know by name. */
    private static void declareXapiErrors(Datamodel.Builder model) {
        model.error(ErrorCodes.OTHER_OPERATION_IN_PROGRESS,
                "Another operation is already running on this object; retry when it has finished.",
                "class", "ref");
        model.error(ErrorCodes.HOST_NOT_ENOUGH_FREE_MEMORY,
                "The host does not have enough free memory for the operation (both values in bytes).",
                "needed", "available");
        model.error("VM_MIGRATE_FAILED",
                "The migration failed; unless the reason says the destination already holds it, the VM was left "
                        + "on the source host as it was. The source and destination hosts and the reason are given.",
                "vm", "source", "destination", "msg");
        model.error(ErrorCodes.FIELD_TYPE_ERROR,
                "A value given for the field does not have the field's type.",
                "field");
        model.error(ErrorCodes.UUID_INVALID,
                "The string given is not a valid UUID of an object of the class.",
                "class", "uuid");
        model.error(ErrorCodes.TASK_CANCELLED,
                "The task was cancelled before it completed.",
                "task");
        model.error("EVENTS_LOST",
                "Events were dropped because the session's queue overflowed; re-read the objects of interest.");
        model.error(ErrorCodes.PERMISSION_DENIED,
                "The caller's role does not allow this call.");
        model.error("NOT_IMPLEMENTED",
                "The function is declared but this implementation does not provide it.",
                "function");
        model.error("EVENT_FROM_TOKEN_PARSE_FAILURE",
                "The token given to event.from is not one this server issued.",
                "token");
        model.error("EVENT_SUBSCRIPTION_PARSE_FAILURE",
                "An event subscription string could not be parsed.",
                "subscription");
        model.error("VM_IS_TEMPLATE",
                "The operation cannot be performed on a template.",
                "vm");
        model.error("VM_CHECKPOINT_SUSPEND_FAILED",
                "Suspending the VM to take a checkpoint failed.",
                "vm");
        model.error("VM_MISSING_PV_DRIVERS",
                "The guest did not respond as a PV-aware guest, so a cooperative operation cannot proceed.",
                "vm");
        model.error("SR_FULL",
                "The storage is full: the requested size exceeds the space available (both in bytes).",
                "requested", "maximum");
        model.error("INVALID_VALUE",
                "The value given is outside the range or set of values the field or parameter accepts.",
                "field", "value");
        model.error("HOST_DISABLED",
                "The host is disabled and accepts no new VMs; enable it first.",
                "host");
        model.error("HOST_NOT_DISABLED",
                "The host must be disabled before it can be shut down or rebooted.");
        declareXapiDeviceAndStorageErrors(model);
    }

    /** XAPI's codes for networks, virtual devices and storage, raised by the device and storage classes. */
    private static void declareXapiDeviceAndStorageErrors(Datamodel.Builder model) {
        model.error("NETWORK_CONTAINS_VIF",
                "The network still has VIFs attached and cannot be destroyed.",
                "vifs");
        model.error("NETWORK_CONTAINS_PIF",
                "The network still has PIFs attached and cannot be destroyed.",
                "pifs");
        model.error("DEVICE_ALREADY_ATTACHED",
                "The device is already attached to the running VM.",
                "device");
        model.error("DEVICE_ALREADY_DETACHED",
                "The device is not currently attached to the VM.",
                "device");
        model.error("DEVICE_ALREADY_EXISTS",
                "The VM already has a device with the name given.",
                "device");
        model.error("DEVICE_DETACH_REJECTED",
                "The VM refused to release the device; the class and ref of the device and the reason are given.",
                "type", "ref", "msg");
        model.error("INVALID_DEVICE",
                "The device name is not a valid name for the guest's device.",
                "device");
        model.error("VBD_NOT_REMOVABLE_MEDIA",
                "The media cannot be changed because the VBD is not a removable (CD) drive.",
                "vbd");
        model.error("VDI_IN_USE",
                "The VDI is in use (attached, or busy with another operation), so the operation cannot proceed.",
                "vdi", "operation");
        model.error("SR_HAS_NO_PBDS",
                "The SR is not plugged into any host (it has no attached PBD).",
                "sr");
        model.error("SR_OPERATION_NOT_SUPPORTED",
                "The SR's driver does not support the operation.",
                "sr");
        model.error("SR_BACKEND_FAILURE",
                "The SR's driver failed; its exit status and output are given.",
                "status", "stdout", "stderr");
        model.error("PBD_EXISTS",
                "A PBD already connects this SR to this host.",
                "sr", "host", "pbd");
        model.error("VTPM_MAX_AMOUNT_REACHED",
                "The VM already has as many vTPMs as it may have.",
                "amount");
    }

    /** Codes the original Xend sent beyond the spec; kept so Xend-era clients see the same failures. */
    private static void declareXendErrors(Datamodel.Builder model) {
        model.error("VM_ON_NORMAL_EXIT_INVALID",
                "The value is not one of the on_normal_exit values.",
                "vm");
        model.error("VM_ON_CRASH_BEHAVIOUR_INVALID",
                "The value is not one of the on_crash_behaviour values.",
                "vm");
        model.error("UNIQUE_NAME_ERROR",
                "An object of the class with this name already exists.",
                "name", "class");
        model.error("CREATE_UNSPECIFIED_ATTRIBUTE",
                "The constructor needs this attribute, but the record given does not contain it.",
                "attribute", "class");
        model.error("CONSOLE_PROTOCOL_INVALID",
                "The console protocol is missing or not supported.",
                "message");
        model.error("UNMANAGED_NETWORK_ERROR",
                "The attribute cannot be changed on a network the daemon does not manage.",
                "attribute");
        model.error("INVALID_DEVICE_ERROR",
                "No such network device exists on the host.",
                "device");
        model.error("DEVICE_EXISTS_ERROR",
                "A device of that name already exists.",
                "device");
        model.error("IMPLEMENTATION_ERROR",
                "The class has no implementation of the function.",
                "class", "function");
        model.error("NETWORK_ERROR",
                "A network operation failed.",
                "message", "network");
        model.error("DEBUG_FAIL",
                "debug.return_failure always fails with this code.",
                "session");
    }
}
