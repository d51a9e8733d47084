package org.xend.rpc.xmlrpc.legacy;

import java.util.List;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/**
 * The legacy API's faults, with Xend's codes ({@code XendClient.ERROR_*}): 1 for an internal error, 2 for a
 * {@code XendError} (the message is the fault string), 3 for {@code XendInvalidDomain} (the fault string is the
 * domain as the client named it). Domain-layer errors, which are Xen API errors, are told in words here.
 */
final class LegacyFaults {

    static final int INTERNAL = 1;
    static final int ERROR = 2;
    static final int INVALID_DOMAIN = 3;

    private LegacyFaults() {
    }

    static XmlRpcFault internal(String message) {
        return new XmlRpcFault(INTERNAL, message);
    }

    static XmlRpcFault error(String message) {
        return new XmlRpcFault(ERROR, message);
    }

    static XmlRpcFault invalidDomain(String dom) {
        return new XmlRpcFault(INVALID_DOMAIN, dom);
    }

    /** Xend's answer to a method it does not know (Python's SimpleXMLRPCDispatcher wording, as fault 1). */
    static XmlRpcFault unknownMethod(String method) {
        return internal("method \"" + method + "\" is not supported");
    }

    /** A domain-layer failure while acting on {@code dom} (null when the call names no domain). */
    static XmlRpcFault fromDomainLayer(XenApiException e, String dom) {
        List<String> p = e.params();
        String subject = dom == null ? "the domain" : "domain " + dom;
        return switch (e.code()) {
            case ErrorCodes.HANDLE_INVALID -> dom != null ? invalidDomain(dom)
                    : error("No such object: " + String.join(" ", p));
            case ErrorCodes.VM_BAD_POWER_STATE -> error(p.size() >= 3
                    ? capitalise(subject) + " is " + p.get(2) + "; the operation needs it " + p.get(1)
                    : capitalise(subject) + " is not in a state that allows the operation");
            case ErrorCodes.OPERATION_NOT_ALLOWED -> error("The operation is not allowed on " + subject);
            case ErrorCodes.OTHER_OPERATION_IN_PROGRESS -> error("Another operation is in progress on " + subject
                    + "; try again when it has finished");
            case ErrorCodes.HOST_NOT_ENOUGH_FREE_MEMORY -> error(p.size() >= 2
                    ? "Not enough free memory on the host: " + mib(p.get(0)) + " needed, " + mib(p.get(1))
                            + " available"
                    : "Not enough free memory on the host");
            case ErrorCodes.VALUE_NOT_SUPPORTED -> error(valueNotSupported(p));
            // the domain layer's own refusals (a domain the hypervisor would not build, a device whose hotplug
            // failed): Xend raised them as VmError, a XendError, so fault 2; only unexpected failures are fault 1
            case ErrorCodes.INTERNAL_ERROR -> error(p.isEmpty() ? "The operation failed on " + subject
                    : capitalise(p.get(0)));
            case "VM_MIGRATE_FAILED" -> error(p.size() >= 4
                    ? "Migration of " + subject + " to " + p.get(2) + " failed: " + p.get(3)
                    : "Migration of " + subject + " failed");
            default -> error(e.code() + (p.isEmpty() ? "" : ": " + String.join(", ", p)));
        };
    }

    private static String valueNotSupported(List<String> p) {
        if (p.size() >= 3) {
            return "Invalid " + p.get(0) + " '" + p.get(1) + "': " + p.get(2);
        }
        if (p.size() == 2) {
            return "Invalid " + p.get(0) + " '" + p.get(1) + "'";
        }
        return "Invalid value" + (p.isEmpty() ? "" : " for " + p.get(0));
    }

    /** Bytes as MiB, rounded up, when the parameter is a byte count. */
    private static String mib(String bytes) {
        try {
            long b = Long.parseLong(bytes);
            return ((b + (1L << 20) - 1) >> 20) + " MiB";
        } catch (NumberFormatException e) {
            return bytes + " bytes";
        }
    }

    static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
