package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.xend.api.XenApiException;

class ErrorMessagesTest {

    private static final String REF = "4ad8e0cd-0d6c-4b3b-a0d3-6c2b8b6c2f00";
    private static final Function<String, String> NAMES = ref -> Map.of(REF, "web-01").getOrDefault(ref, ref);

    @Test
    void eachCommonCodeReadsAsASentenceNamingTheVm() {
        assertEquals("VM 'web-01' is Running; this needs Halted",
                describe(new XenApiException("VM_BAD_POWER_STATE", REF, "Halted", "Running")));
        assertEquals("VM 'web-01' is busy with another operation; retry when it has finished",
                describe(new XenApiException("OTHER_OPERATION_IN_PROGRESS", "VM", REF)));
        assertEquals("Not enough free memory on the host: VM 'web-01' needs 8192 MiB, 3072 MiB are free",
                describe(new XenApiException("HOST_NOT_ENOUGH_FREE_MEMORY", 8192L << 20, 3072L << 20)));
        assertEquals("The operation is not allowed on VM 'web-01' in its current state",
                describe(new XenApiException("OPERATION_NOT_ALLOWED")));
        assertEquals("Invalid name_label 'web-01': the name is already used by another VM",
                describe(new XenApiException("VALUE_NOT_SUPPORTED", "name_label", "web-01",
                        "the name is already used by another VM")));
        assertEquals("VM 9c1 does not exist (any more)", describe(new XenApiException("HANDLE_INVALID", "VM", "9c1")));
        assertEquals("A VM named 'db' already exists", describe(new XenApiException("UNIQUE_NAME_ERROR", "db", "VM")));
        assertEquals("Internal error: hypervisor gone", describe(new XenApiException("INTERNAL_ERROR",
                "hypervisor gone")));
    }

    @Test
    void withoutASubjectTheVmIsNotNamed() {
        assertEquals("The operation is not allowed on the VM in its current state",
                ErrorMessages.describe(new XenApiException("OPERATION_NOT_ALLOWED"), NAMES, null));
    }

    @Test
    void otherCodesUseTheDatamodelsDescriptionWithNamedParameters() {
        assertEquals("The session handle is unknown, logged out or expired; log in again"
                        + " (SESSION_INVALID: handle=OpaqueRef:1)",
                describe(new XenApiException("SESSION_INVALID", "OpaqueRef:1")));
        assertEquals("NO_SUCH_CODE: a, b", describe(new XenApiException("NO_SUCH_CODE", "a", "b")),
                "an undeclared code still gives one line");
    }

    private static String describe(XenApiException e) {
        return ErrorMessages.describe(e, NAMES, REF);
    }
}
