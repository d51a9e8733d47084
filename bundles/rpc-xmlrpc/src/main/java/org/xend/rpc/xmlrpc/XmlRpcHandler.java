package org.xend.rpc.xmlrpc;

import java.util.List;

import org.xend.api.CallContext;

/**
 * What an XML-RPC listener serves: one decoded call in, one value or fault out. The transports (HTTP, HTTPS, the Unix
 * socket) and the XML-RPC codec are shared; the API behind them is this interface. {@link XenApiHandler} serves the
 * Xen API; the legacy xm API is another implementation, served on its own listeners.
 *
 * <p>Called on worker threads, concurrently, and may block for as long as the call takes.
 */
public interface XmlRpcHandler {

    /**
     * Performs one call.
     *
     * @param params String, Integer, Boolean, Double, Date, Object[] or Map values, as XML-RPC decodes them
     * @return the single result value: String, Integer, Long (sent as a string), Boolean, Double, Date, arrays,
     *         Lists and Maps of those; never {@code null}
     * @throws XmlRpcFault to answer with an XML-RPC fault
     */
    Object call(CallContext context, String methodName, List<Object> params) throws XmlRpcFault;

    /**
     * The answer when a call failed inside the server: {@link #call} threw an unchecked exception or returned
     * {@code null}, or its result has no XML-RPC form. The cause is already logged; {@code reason} is a short phrase
     * that is safe to show to the client. The default answers with fault {@value XmlRpcFault#INTERNAL_ERROR}.
     *
     * @return a value that can always be encoded
     * @throws XmlRpcFault to answer with a fault instead
     */
    default Object internalError(String methodName, String reason) throws XmlRpcFault {
        throw new XmlRpcFault(XmlRpcFault.INTERNAL_ERROR, "Internal error: " + reason + "; see the server log");
    }
}
