package org.xend.api.datamodel;

import java.util.List;

/**
 * One callable Xen API method, derived from the declarations. {@code params} are the parameters after the
 * session, including {@code self} for object calls. {@code field} is set for field calls, {@code message}
 * for declared messages.
 */
public record ApiCall(String wireName, String className, String callName, CallKind kind, List<ParamDecl> params,
                      Type result, FieldDecl field, MessageDecl message, boolean needsSession, boolean async,
                      Role role, List<String> errors, String description) {

    public ApiCall {
        params = List.copyOf(params);
        errors = List.copyOf(errors);
    }

    /** True when the first parameter after the session is a ref to the object acted on. */
    public boolean takesSelf() {
        return switch (kind) {
            case GET_FIELD, SET_FIELD, ADD_TO_MAP, REMOVE_FROM_MAP, ADD_TO_SET, REMOVE_FROM_SET, GET_RECORD,
                    DESTROY -> true;
            case MESSAGE -> !message.isStatic();
            default -> false;
        };
    }

    /** Largest number of XML-RPC parameters, the session included. */
    public int maxArity() {
        return params.size() + (needsSession ? 1 : 0);
    }

    /** Smallest number of XML-RPC parameters, the session included. */
    public int minArity() {
        int required = 0;
        for (ParamDecl p : params) {
            if (!p.optional()) {
                required++;
            }
        }
        return required + (needsSession ? 1 : 0);
    }
}
