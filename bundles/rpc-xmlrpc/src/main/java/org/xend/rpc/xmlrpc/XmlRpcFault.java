package org.xend.rpc.xmlrpc;

/**
 * Thrown by an {@link XmlRpcHandler} to answer with an XML-RPC {@code <fault>} instead of a value, e.g. the legacy
 * xm API's codes 1, 2 and 3. The message travels to the client as the {@code faultString}: keep it free of internals.
 */
public final class XmlRpcFault extends Exception {

    private static final long serialVersionUID = 1L;

    /** The XML-RPC fault code interoperability convention's "internal error". */
    public static final int INTERNAL_ERROR = -32603;

    private final int code;

    public XmlRpcFault(int code, String message) {
        super(message == null ? "" : message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
