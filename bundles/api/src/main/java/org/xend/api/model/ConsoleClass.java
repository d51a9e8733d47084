package org.xend.api.model;

import static org.xend.api.ErrorCodes.VM_BAD_POWER_STATE;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code console}: the spec's fields; vm-admin for changes, as in XAPI. The spec makes {@code protocol} and
 * {@code VM} run-time fields, yet its constructor needs both (Xend's console.create reads them from the record and
 * refuses a missing protocol), so here they are given at creation (RO_ins); {@code location} stays run-time.
 */
final class ConsoleClass {

    private ConsoleClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.CONSOLE, "A console")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .constructor("CONSOLE_PROTOCOL_INVALID", VM_BAD_POWER_STATE)
                .destructor(VM_BAD_POWER_STATE)
                .field("protocol", Enums.CONSOLE_PROTOCOL, Qualifier.RO_INS, "the protocol used by this console")
                .field("location", Type.STRING, Qualifier.RO_RUN, "URI for the console service")
                .field("VM", Type.ref(XenApiModel.VM), Qualifier.RO_INS, "VM to which this console is attached")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
