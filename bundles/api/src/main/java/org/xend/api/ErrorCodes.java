package org.xend.api;

/** Error codes of the Xen API used by more than one bundle. Their parameters are declared in the datamodel. */
public final class ErrorCodes {
    public static final String HANDLE_INVALID = "HANDLE_INVALID";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String MAP_DUPLICATE_KEY = "MAP_DUPLICATE_KEY";
    public static final String MESSAGE_METHOD_UNKNOWN = "MESSAGE_METHOD_UNKNOWN";
    public static final String MESSAGE_PARAMETER_COUNT_MISMATCH = "MESSAGE_PARAMETER_COUNT_MISMATCH";
    public static final String OPERATION_NOT_ALLOWED = "OPERATION_NOT_ALLOWED";
    public static final String OTHER_OPERATION_IN_PROGRESS = "OTHER_OPERATION_IN_PROGRESS";
    public static final String PERMISSION_DENIED = "PERMISSION_DENIED";
    public static final String SESSION_AUTHENTICATION_FAILED = "SESSION_AUTHENTICATION_FAILED";
    public static final String SESSION_INVALID = "SESSION_INVALID";
    public static final String SESSION_NOT_REGISTERED = "SESSION_NOT_REGISTERED";
    public static final String VALUE_NOT_SUPPORTED = "VALUE_NOT_SUPPORTED";
    public static final String FIELD_TYPE_ERROR = "FIELD_TYPE_ERROR";
    public static final String VM_BAD_POWER_STATE = "VM_BAD_POWER_STATE";
    public static final String VM_HVM_REQUIRED = "VM_HVM_REQUIRED";
    public static final String HOST_NOT_ENOUGH_FREE_MEMORY = "HOST_NOT_ENOUGH_FREE_MEMORY";
    public static final String UUID_INVALID = "UUID_INVALID";
    public static final String TASK_CANCELLED = "TASK_CANCELLED";

    private ErrorCodes() {
    }
}
