package org.xend.api.store;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.xend.api.CallContext;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.Role;

/** One call being served: its decoded arguments, its caller, and its task when it runs as {@code Async.}. */
@ProviderType
public interface Call {

    ApiCall api();

    CallContext context();

    /** The caller's session ref; null for session-less calls. */
    String session();

    /** The authenticated user name of the session. */
    String user();

    /** The role of the caller's session; read-only (the least privilege) when the call has no session. */
    default Role role() {
        return Role.READ_ONLY;
    }

    /** The object acted on, for object calls; null otherwise. Already checked to exist. */
    String self();

    /** Declared arguments after {@code self}, decoded to Java values, optional ones filled with defaults. */
    List<Object> args();

    default Object arg(int index) {
        return args().get(index);
    }

    default String stringArg(int index) {
        return (String) args().get(index);
    }

    default boolean boolArg(int index) {
        return Boolean.TRUE.equals(args().get(index));
    }

    /** The ref of the task this call runs under ({@code Async.} calls), or null for a synchronous call. */
    String task();

    /** Report progress from 0.0 to 1.0; visible on the task when the call is asynchronous. */
    void progress(double fraction);

    /** Throws {@code TASK_CANCELLED [task]} if the call's task has been asked to cancel. */
    void checkCancelled();

    ObjectStore store();
}
