package org.xend.rpc.xmlrpc;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApi;

/**
 * The Xen API behind an XML-RPC listener: every answer is the {@code {Status, Value | ErrorDescription}} struct of
 * {@link XenApi}, including the internal errors (never a fault, which Xen API clients do not expect).
 */
public final class XenApiHandler implements XmlRpcHandler {

    private static final Logger LOG = LoggerFactory.getLogger(XenApiHandler.class);

    private final XenApi api;

    public XenApiHandler(XenApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    @Override
    public Object call(CallContext context, String methodName, List<Object> params) {
        try {
            Map<String, Object> result = api.call(context, methodName, params);
            if (result != null) {
                return result;
            }
            LOG.error("XenApi.call returned null for {}; the client gets INTERNAL_ERROR", methodName);
        } catch (RuntimeException e) {
            LOG.error("XenApi.call threw for {}, which its contract forbids; the client gets INTERNAL_ERROR",
                    methodName, e);
        }
        return internalError(methodName, "the call failed inside the server");
    }

    @Override
    public Object internalError(String methodName, String reason) {
        return Map.of("Status", "Failure",
                "ErrorDescription", List.of(ErrorCodes.INTERNAL_ERROR, reason + "; see the server log"));
    }
}
