package org.xend.rpc.xmlrpc.legacy;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.xend.api.CallContext;
import org.xend.rpc.xmlrpc.XmlRpcFault;
import org.xend.rpc.xmlrpc.XmlRpcHandler;

/**
 * What the Xen API listeners serve: Xend registered every legacy {@code xend.*} method on its Xen API servers too,
 * so those calls go to the legacy API (answered its way: plain values and faults) while it runs, and everything else
 * to the Xen API. Without the legacy API, a {@code xend.*} call is the Xen API's unknown method.
 */
public final class XendMethodRouter implements XmlRpcHandler {

    private final XmlRpcHandler xenApi;
    private final Supplier<XmlRpcHandler> legacy;

    /** @param legacy the legacy API now, or {@code null} while it is not running */
    public XendMethodRouter(XmlRpcHandler xenApi, Supplier<XmlRpcHandler> legacy) {
        this.xenApi = Objects.requireNonNull(xenApi, "xenApi");
        this.legacy = Objects.requireNonNull(legacy, "legacy");
    }

    @Override
    public Object call(CallContext context, String methodName, List<Object> params) throws XmlRpcFault {
        return handlerFor(methodName).call(context, methodName, params);
    }

    @Override
    public Object internalError(String methodName, String reason) throws XmlRpcFault {
        return handlerFor(methodName).internalError(methodName, reason);
    }

    private XmlRpcHandler handlerFor(String methodName) {
        if (LegacyXmApi.isLegacyMethod(methodName)) {
            XmlRpcHandler current = legacy.get();
            if (current != null) {
                return current;
            }
        }
        return xenApi;
    }
}
