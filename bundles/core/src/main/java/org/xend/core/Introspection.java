package org.xend.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.ErrorDecl;
import org.xend.api.datamodel.ParamDecl;
import org.xend.api.datamodel.Type;

/**
 * XML-RPC introspection ({@code system.listMethods}, {@code system.methodHelp}, {@code system.methodSignature}),
 * answered from the declarations, {@code Async.} twins included. These calls take no session, like Xend's.
 */
final class Introspection {

    static final String PREFIX = "system.";
    private static final String ASYNC = "Async.";
    private static final String LIST_METHODS = "system.listMethods";
    private static final String METHOD_HELP = "system.methodHelp";
    private static final String METHOD_SIGNATURE = "system.methodSignature";

    /** The introspection calls themselves, with their descriptions. */
    private static final Map<String, String> OWN_HELP = Map.of(
            LIST_METHODS, "system.listMethods() -> string array\nThe names of every method this server answers.",
            METHOD_HELP, "system.methodHelp(method: string) -> string\n"
                    + "What the method does, its parameters, its result and the errors it may raise.",
            METHOD_SIGNATURE, "system.methodSignature(method: string) -> array of arrays\n"
                    + "The method's XML-RPC signatures, one per accepted number of parameters: the result type "
                    + "followed by the parameter types.");
    private static final Map<String, List<String>> OWN_SIGNATURES = Map.of(
            LIST_METHODS, List.of("array"),
            METHOD_HELP, List.of("string", "string"),
            METHOD_SIGNATURE, List.of("array", "string"));

    private final Datamodel model;

    Introspection(Datamodel model) {
        this.model = model;
    }

    Object call(String name, List<Object> params) {
        return switch (name) {
            case LIST_METHODS -> {
                arity(name, params, 0);
                yield listMethods();
            }
            case METHOD_HELP -> {
                arity(name, params, 1);
                yield help(methodName(params.get(0)));
            }
            case METHOD_SIGNATURE -> {
                arity(name, params, 1);
                yield signatures(methodName(params.get(0)));
            }
            default -> throw new XenApiException(ErrorCodes.MESSAGE_METHOD_UNKNOWN, name);
        };
    }

    private List<Object> listMethods() {
        List<Object> names = new ArrayList<>();
        for (ApiCall c : model.calls().values()) {
            names.add(c.wireName());
        }
        for (ApiCall c : model.calls().values()) {
            if (c.async()) {
                names.add(ASYNC + c.wireName());
            }
        }
        names.addAll(List.of(LIST_METHODS, METHOD_HELP, METHOD_SIGNATURE));
        return names;
    }

    private String help(String method) {
        String own = OWN_HELP.get(method);
        if (own != null) {
            return own;
        }
        boolean async = method.startsWith(ASYNC);
        ApiCall call = lookUp(method);
        StringBuilder sb = new StringBuilder();
        sb.append(method).append('(');
        List<String> names = new ArrayList<>();
        if (call.needsSession()) {
            names.add("session_id");
        }
        for (ParamDecl p : call.params()) {
            names.add(p.optional() ? p.name() + "?" : p.name());
        }
        sb.append(String.join(", ", names)).append(") -> ")
                .append(async ? "task ref" : call.result().display()).append('\n');
        if (async) {
            sb.append("Asynchronous form of ").append(call.wireName())
                    .append(": returns at once with a task, whose result is the call's result.\n");
        }
        sb.append(call.description()).append('\n');
        sb.append("Parameters:\n");
        if (call.needsSession()) {
            sb.append("  session ref session_id: a valid session\n");
        }
        for (ParamDecl p : call.params()) {
            sb.append("  ").append(p.type().display()).append(' ').append(p.name()).append(": ")
                    .append(p.description());
            if (p.optional()) {
                sb.append(" (optional; default ").append(p.defaultValue()).append(')');
            }
            sb.append('\n');
        }
        sb.append("Result: ").append(call.result().display()).append('\n');
        if (!call.errors().isEmpty()) {
            sb.append("Errors:\n");
            for (String code : call.errors()) {
                sb.append("  ").append(code);
                model.error(code).map(ErrorDecl::params).filter(p -> !p.isEmpty())
                        .ifPresent(p -> sb.append(" [").append(String.join(", ", p)).append(']'));
                model.error(code).map(ErrorDecl::description)
                        .ifPresent(d -> sb.append(": ").append(d));
                sb.append('\n');
            }
        }
        sb.append("Least role allowed: ").append(call.role().wireName());
        return sb.toString();
    }

    /** One signature per accepted number of parameters (trailing parameters may be optional). */
    private List<Object> signatures(String method) {
        List<String> own = OWN_SIGNATURES.get(method);
        if (own != null) {
            return List.of(own);
        }
        boolean async = method.startsWith(ASYNC);
        ApiCall call = lookUp(method);
        List<Object> out = new ArrayList<>();
        for (int arity = call.minArity(); arity <= call.maxArity(); arity++) {
            List<Object> signature = new ArrayList<>();
            signature.add(async ? "string" : xmlRpcType(call.result()));
            if (call.needsSession()) {
                signature.add("string");
            }
            int params = arity - (call.needsSession() ? 1 : 0);
            for (int i = 0; i < params; i++) {
                signature.add(xmlRpcType(call.params().get(i).type()));
            }
            out.add(signature);
        }
        return out;
    }

    /** The XML-RPC type a value of this Xen API type travels as: ints as strings, void as the empty string. */
    static String xmlRpcType(Type type) {
        if (type instanceof Type.Primitive p) {
            return switch (p) {
                case FLOAT -> "double";
                case BOOL -> "boolean";
                case DATETIME -> "dateTime.iso8601";
                case STRING, INT, VOID -> "string";
            };
        }
        if (type instanceof Type.Enum || type instanceof Type.Ref) {
            return "string";
        }
        if (type instanceof Type.SetOf) {
            return "array";
        }
        return "struct";
    }

    private ApiCall lookUp(String method) {
        boolean async = method.startsWith(ASYNC);
        String name = async ? method.substring(ASYNC.length()) : method;
        return model.call(name).filter(c -> !async || c.async())
                .orElseThrow(() -> new XenApiException(ErrorCodes.MESSAGE_METHOD_UNKNOWN, method));
    }

    private static String methodName(Object param) {
        if (!(param instanceof String s)) {
            throw new XenApiException(ErrorCodes.FIELD_TYPE_ERROR, "method");
        }
        return s;
    }

    private static void arity(String method, List<Object> params, int expected) {
        if (params.size() != expected) {
            throw new XenApiException(ErrorCodes.MESSAGE_PARAMETER_COUNT_MISMATCH, method, expected, params.size());
        }
    }
}
