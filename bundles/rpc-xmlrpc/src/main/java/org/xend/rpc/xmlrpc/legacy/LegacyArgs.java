package org.xend.rpc.xmlrpc.legacy;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.xend.rpc.xmlrpc.XmlRpcFault;

/**
 * The decoded parameters of one legacy call, read the way Xend's Python functions read them: flags by Python truth,
 * a domain as a name, domid or uuid (string or int). A parameter of the wrong type is fault 1, as Python's
 * {@code TypeError} was.
 */
final class LegacyArgs {

    private final String method;
    private final List<String> names;
    private final List<Object> values;

    LegacyArgs(String method, List<String> names, List<Object> values) {
        this.method = method;
        this.names = names;
        this.values = values;
    }

    int size() {
        return values.size();
    }

    /** A domain: a name, a domid or a uuid. */
    String dom(int i) throws XmlRpcFault {
        Object v = values.get(i);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Integer n) {
            return n.toString();
        }
        throw wrongType(i, "a domain name, id or uuid");
    }

    String string(int i) throws XmlRpcFault {
        if (values.get(i) instanceof String s) {
            return s;
        }
        throw wrongType(i, "a string");
    }

    /** Python truth of the parameter, or {@code absent} when the client left it out. */
    boolean flag(int i, boolean absent) throws XmlRpcFault {
        if (i >= values.size()) {
            return absent;
        }
        Object v = values.get(i);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Integer n) {
            return n != 0;
        }
        if (v instanceof Double d) {
            return d != 0.0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Object[] a) {
            return a.length > 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        throw wrongType(i, "a flag");
    }

    /** An int parameter (an int, or a string of digits as xm sometimes sent), or {@code absent} when left out. */
    Integer integer(int i, Integer absent) throws XmlRpcFault {
        if (i >= values.size() || values.get(i) == null) {
            return absent;
        }
        Object v = values.get(i);
        if (v instanceof Integer n) {
            return n;
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw wrongType(i, "an int");
            }
        }
        throw wrongType(i, "an int");
    }

    /** The parameter as it came: for values of more than one accepted type. */
    Object raw(int i) {
        return values.get(i);
    }

    /** An SXP value as nested arrays. */
    Object sxp(int i) throws XmlRpcFault {
        Object v = values.get(i);
        if (v instanceof Object[] || v instanceof List<?>) {
            return v;
        }
        throw wrongType(i, "an SXP list (nested arrays)");
    }

    XmlRpcFault wrongType(int i, String expected) {
        return LegacyFaults.internal(method + ": argument " + (i + 1) + " (" + names.get(i) + ") must be " + expected);
    }
}
