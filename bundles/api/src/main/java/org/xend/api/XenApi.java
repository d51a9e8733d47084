package org.xend.api;

import java.util.List;
import java.util.Map;

/**
 * The single entry point of the Xen API. Every front door (XML-RPC transports, shell, JMX) calls this service
 * and none reaches past it.
 */
public interface XenApi {

    /**
     * Dispatches one call, {@code Async.} twins included.
     *
     * @param method the wire method name, e.g. {@code VM.get_record} or {@code Async.VM.start}
     * @param params the decoded XML-RPC parameters: String, Integer, Long, Double, Boolean, java.util.Date,
     *               Object[] or List, Map
     * @return the wire response struct, {@code {Status: "Success", Value: v}} or
     *         {@code {Status: "Failure", ErrorDescription: [code, params...]}}. Values are already in wire form:
     *         ints are decimal strings, void is {@code ""}, and there is never a null anywhere in it.
     *         This method never throws.
     */
    Map<String, Object> call(CallContext context, String method, List<Object> params);
}
