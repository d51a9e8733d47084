package org.xend.api.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code event}: the spec's record and its legacy register/unregister/next, plus XAPI's {@code snapshot} field and
 * its {@code from}, {@code get_current_id} and {@code inject}. Events are not stored objects, so the class has no
 * uuid and none of the generated calls (XAPI has none either). Every role may use events; which objects a session
 * sees is decided at run time. As in XAPI, only register and unregister have {@code Async.} twins.
 */
final class EventClass {

    /** XAPI's {@code event.from} result. */
    static final Type EVENT_BATCH = eventBatch();

    private EventClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.EVENT, "Asynchronous event registration and handling")
                .noGeneratedCalls()
                .roles(Role.READ_ONLY, Role.READ_ONLY)
                .field("id", Type.INT, Qualifier.RO_INS, "An ID, monotonically increasing")
                .field("timestamp", Type.DATETIME, Qualifier.RO_INS, "The time at which the event occurred")
                .field("class", Type.STRING, Qualifier.RO_INS, "The name of the class of the object that changed")
                .field("operation", Enums.EVENT_OPERATION, Qualifier.RO_INS, "The operation that was performed")
                .field("ref", Type.STRING, Qualifier.RO_INS, "A reference to the object that changed")
                .field("obj_uuid", Type.STRING, Qualifier.RO_INS, "The uuid of the object that changed")
                // The record's shape depends on the class, which a field type cannot say; it travels as a struct.
                .field("snapshot", Type.STRING_MAP, Qualifier.RO_INS,
                        "The record of the object that changed, as get_record returns it (its last record for a "
                                + "del event)")
                .message(MessageDecl.function("register",
                                "Registers this session with the event system for the given classes, for use with "
                                        + "event.next. The empty set or \"*\" registers for all classes.")
                        .param("classes", Type.STRING_SET, "register for events for the indicated classes")
                        .errors("EVENT_SUBSCRIPTION_PARSE_FAILURE")
                        .role(Role.READ_ONLY))
                .message(MessageDecl.function("unregister", "Unregisters this session with the event system.")
                        .param("classes", Type.STRING_SET,
                                "remove this session's registration for the indicated classes")
                        .role(Role.READ_ONLY))
                .message(MessageDecl.function("next",
                                "Blocking call which returns a (possibly empty) batch of events for the classes "
                                        + "this session registered for. Events are buffered in a queue of limited "
                                        + "size; if it overflowed, EVENTS_LOST is raised and the session must "
                                        + "register again and re-read the objects it cares about.")
                        .returns(Type.setOf(Type.record(XenApiModel.EVENT)))
                        .errors(ErrorCodes.SESSION_NOT_REGISTERED, "EVENTS_LOST", ErrorCodes.SESSION_INVALID)
                        .role(Role.READ_ONLY)
                        .noAsync())
                .message(MessageDecl.function("from",
                                "Blocking call which returns a new token and a (possibly empty) batch of events "
                                        + "since the given token, several changes to one object coalesced into one "
                                        + "event. The returned token can be used in subsequent calls.")
                        .param("classes", Type.STRING_SET,
                                "register for events for the indicated classes: \"*\", a class name, or "
                                        + "class/ref for a single object")
                        .param("token", Type.STRING,
                                "A token representing the point from which to generate database events. The empty "
                                        + "string represents the beginning.")
                        .param("timeout", Type.FLOAT, "Return after this many seconds if no events match")
                        .returns(EVENT_BATCH)
                        .errors("EVENT_FROM_TOKEN_PARSE_FAILURE", "EVENT_SUBSCRIPTION_PARSE_FAILURE", "EVENTS_LOST",
                                ErrorCodes.SESSION_INVALID)
                        .role(Role.READ_ONLY)
                        .noAsync())
                .message(MessageDecl.function("get_current_id",
                                "Return the ID of the next event to be generated by the system")
                        .returns(Type.INT)
                        .role(Role.READ_ONLY)
                        .noAsync())
                .message(MessageDecl.function("inject",
                                "Injects an artificial event on the given object and returns the corresponding ID "
                                        + "as a token, which event.from returns once it has passed that event: a "
                                        + "barrier to wait on before acting on the object's state.")
                        .param("class", Type.STRING, "class of the object")
                        .param("ref", Type.STRING, "A reference to the object that will be changed.")
                        .returns(Type.STRING)
                        .errors(ErrorCodes.HANDLE_INVALID)
                        .role(Role.READ_ONLY)
                        .noAsync())
                .build();
    }

    private static Type eventBatch() {
        Map<String, Type> members = new LinkedHashMap<>();
        members.put("events", Type.setOf(Type.record(XenApiModel.EVENT)));
        members.put("valid_ref_counts", Type.mapOf(Type.STRING, Type.INT));
        members.put("token", Type.STRING);
        return Type.struct("event_batch", members);
    }
}
