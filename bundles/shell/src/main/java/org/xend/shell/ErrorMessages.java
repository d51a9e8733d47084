package org.xend.shell;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ErrorDecl;
import org.xend.api.model.XenApiModel;

/**
 * Turns a Xen API error into the one line an operator reads: what the code means, with the VM named rather than
 * given by its ref. Codes without a sentence of their own fall back to the datamodel's description of the code.
 */
final class ErrorMessages {

    private static final long MIB = 1024L * 1024L;

    private ErrorMessages() {
    }

    /**
     * @param vmName names a VM ref (falls back to the ref itself when the VM is gone)
     * @param subjectVm the VM the command acted on, for codes that carry no ref; may be null
     */
    static String describe(XenApiException e, Function<String, String> vmName, String subjectVm) {
        List<String> p = e.params();
        String subject = subjectVm == null ? "the VM" : "VM '" + vmName.apply(subjectVm) + "'";
        switch (e.code()) {
            case ErrorCodes.VM_BAD_POWER_STATE:
                if (p.size() >= 3) {
                    return "VM '" + vmName.apply(p.get(0)) + "' is " + p.get(2) + "; this needs " + p.get(1);
                }
                break;
            case ErrorCodes.HANDLE_INVALID:
                if (p.size() >= 2) {
                    return p.get(0) + " " + p.get(1) + " does not exist (any more)";
                }
                break;
            case ErrorCodes.OTHER_OPERATION_IN_PROGRESS:
                if (p.size() >= 2) {
                    return "VM '" + vmName.apply(p.get(1)) + "' is busy with another operation; "
                            + "retry when it has finished";
                }
                break;
            case ErrorCodes.OPERATION_NOT_ALLOWED:
                return "The operation is not allowed on " + subject + " in its current state";
            case ErrorCodes.HOST_NOT_ENOUGH_FREE_MEMORY:
                if (p.size() >= 2) {
                    return "Not enough free memory on the host: " + subject + " needs " + mib(p.get(0))
                            + ", " + mib(p.get(1)) + " are free";
                }
                break;
            case ErrorCodes.VALUE_NOT_SUPPORTED:
                if (p.size() >= 3) {
                    return "Invalid " + p.get(0) + " '" + p.get(1) + "': " + p.get(2);
                }
                break;
            case "UNIQUE_NAME_ERROR":
                if (p.size() >= 1) {
                    return "A VM named '" + p.get(0) + "' already exists";
                }
                break;
            case ErrorCodes.VM_HVM_REQUIRED:
                if (p.size() >= 1) {
                    return "VM '" + vmName.apply(p.get(0)) + "' needs HVM support, which this host or VM lacks";
                }
                break;
            case "VM_MIGRATE_FAILED":
                if (p.size() >= 4) {
                    return "Migrating VM '" + vmName.apply(p.get(0)) + "' to " + p.get(2) + " failed: " + p.get(3);
                }
                break;
            case ErrorCodes.INTERNAL_ERROR:
                return "Internal error: " + (p.isEmpty() ? "no details" : String.join(", ", p));
            default:
                break;
        }
        return fromDatamodel(e);
    }

    /** The datamodel's sentence for the code, then the code and its named parameters. */
    private static String fromDatamodel(XenApiException e) {
        Optional<ErrorDecl> decl = XenApiModel.datamodel().error(e.code());
        StringBuilder line = new StringBuilder();
        decl.ifPresent(d -> line.append(stripFinalStop(d.description())).append(" ("));
        line.append(e.code());
        List<String> names = decl.map(ErrorDecl::params).orElse(List.of());
        List<String> values = e.params();
        for (int i = 0; i < values.size(); i++) {
            line.append(i == 0 ? ": " : ", ");
            if (i < names.size()) {
                line.append(names.get(i)).append('=');
            }
            line.append(values.get(i));
        }
        if (decl.isPresent()) {
            line.append(')');
        }
        return line.toString();
    }

    private static String stripFinalStop(String sentence) {
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }

    private static String mib(String bytes) {
        try {
            return Long.parseLong(bytes) / MIB + " MiB";
        } catch (NumberFormatException e) {
            return bytes + " bytes";
        }
    }
}
