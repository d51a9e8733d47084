package org.xend.apidoc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ApiCall;

/**
 * Which errors the reference lists for a call. Each call page lists what the call declares, plus the one error
 * each kind of generated call checks by itself ({@code add_to_} a duplicate key, {@code get_by_uuid} an unknown
 * UUID, {@code get_all_records_where} a query that does not parse). The checks the dispatcher makes before any
 * call runs are listed once, on the index page, rather than on every call.
 */
final class CallErrors {

    /** One check the dispatcher makes for every call, in the order it makes them. */
    record Check(String code, String when) {
    }

    static final List<Check> DISPATCHER_CHECKS = List.of(
            new Check(ErrorCodes.MESSAGE_METHOD_UNKNOWN,
                    "no call has that name, or the call has no `Async.` twin and the `Async.` form was called"),
            new Check(ErrorCodes.MESSAGE_PARAMETER_COUNT_MISMATCH,
                    "the call got fewer or more parameters than it takes (the counts include the session)"),
            new Check(ErrorCodes.SESSION_INVALID,
                    "the call takes a session and the one given is unknown, logged out or expired"),
            new Check(ErrorCodes.PERMISSION_DENIED,
                    "the session's role is less privileged than the call's least role"),
            new Check(ErrorCodes.HANDLE_INVALID,
                    "`self`, or a ref inside an argument, names no object of its class (or one the caller may not "
                            + "see); `OpaqueRef:NULL` is accepted in arguments other than `self`"),
            new Check(ErrorCodes.FIELD_TYPE_ERROR,
                    "an argument does not have its declared type; the parameter (or record field) is named"),
            new Check(ErrorCodes.VALUE_NOT_SUPPORTED,
                    "an enum argument is not one of the enumeration's values"),
            new Check(ErrorCodes.INTERNAL_ERROR,
                    "the server failed while handling the call"));

    private CallErrors() {
    }

    /** The errors listed on the call's page, the declared ones first, each once. */
    static List<String> of(ApiCall call) {
        Set<String> codes = new LinkedHashSet<>(call.errors());
        switch (call.kind()) {
            case ADD_TO_MAP -> codes.add(ErrorCodes.MAP_DUPLICATE_KEY);
            case GET_BY_UUID -> codes.add(ErrorCodes.UUID_INVALID);
            case GET_ALL_RECORDS_WHERE -> codes.add(ErrorCodes.VALUE_NOT_SUPPORTED);
            default -> {
                // The other kinds raise only what they declare and the dispatcher's checks.
            }
        }
        return List.copyOf(codes);
    }

    static boolean isDispatcherCheck(String code) {
        return DISPATCHER_CHECKS.stream().anyMatch(c -> c.code().equals(code));
    }
}
