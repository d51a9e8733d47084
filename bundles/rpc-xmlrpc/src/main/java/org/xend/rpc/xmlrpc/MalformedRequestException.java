package org.xend.rpc.xmlrpc;

/**
 * A request that cannot be turned into a call; it is answered with an XML-RPC fault carrying {@link #faultCode()}
 * and a message that is safe to show to the client.
 */
final class MalformedRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int faultCode;

    MalformedRequestException(int faultCode, String message) {
        super(message, null, false, false);
        this.faultCode = faultCode;
    }

    int faultCode() {
        return faultCode;
    }
}
