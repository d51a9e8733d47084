package org.xend.rpc.xmlrpc;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApi;

/**
 * One XML-RPC exchange, whatever the transport: decode the {@code methodCall}, call {@link XenApi}, encode its
 * {@code {Status, Value | ErrorDescription}} struct as the single parameter of the {@code methodResponse}.
 * A request that is not usable XML-RPC gets an XML-RPC fault; everything past decoding gets a Xen API answer.
 * Blocking: run it off any I/O thread.
 */
public final class XmlRpcEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcEndpoint.class);

    /** Large enough for most answers (a VM record is about 9 KB), small enough to come from the pool cheaply. */
    private static final int RESPONSE_CAPACITY = 16 * 1024;
    private static final int FAULT_CAPACITY = 512;

    private final XenApi api;
    private final XmlRpcCodec codec;

    public XmlRpcEndpoint(XenApi api, int maxDepth) {
        this(api, new XmlRpcCodec(maxDepth));
    }

    XmlRpcEndpoint(XenApi api, XmlRpcCodec codec) {
        this.api = Objects.requireNonNull(api, "api");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Handles one request body and returns the complete response document in a buffer from {@code allocator},
     * which the caller owns. The buffer is only taken once the call is over, so a long call holds no output memory.
     * Never throws for anything the client sent or the API returned; the request buffer is read, not released.
     */
    public ByteBuf handle(ByteBuf request, CallContext context, ByteBufAllocator allocator) {
        return respond(request, context, allocator::directBuffer, true);
    }

    /** The same, appending the response document to {@code out}. */
    public void handle(ByteBuf request, CallContext context, ByteBuf out) {
        respond(request, context, capacity -> out, false);
    }

    private ByteBuf respond(ByteBuf request, CallContext context, IntFunction<ByteBuf> output, boolean ownsOutput) {
        XmlRpcRequest call;
        try {
            call = codec.decode(request);
        } catch (MalformedRequestException e) {
            LOG.debug("Refused a request from {} over {}: {}", context.peer(), context.transport(), e.getMessage());
            ByteBuf out = output.apply(FAULT_CAPACITY);
            codec.encodeFault(e.faultCode(), e.getMessage(), out);
            return out;
        }
        Map<String, Object> result = invoke(call, context);
        ByteBuf out = output.apply(RESPONSE_CAPACITY);
        int start = out.writerIndex();
        try {
            codec.encodeResponse(result, out);
        } catch (XmlRpcCodec.ResponseEncodingException e) {
            LOG.error("The result of {} could not be encoded as XML-RPC; the client gets INTERNAL_ERROR",
                    call.methodName(), e);
            out.writerIndex(start);
            encodeInternalError("the result could not be encoded", out);
        } catch (RuntimeException | Error e) {
            if (ownsOutput) {
                out.release();
            }
            throw e;
        }
        return out;
    }

    private Map<String, Object> invoke(XmlRpcRequest call, CallContext context) {
        try {
            Map<String, Object> result = api.call(context, call.methodName(), call.params());
            if (result != null) {
                return result;
            }
            LOG.error("XenApi.call returned null for {}; the client gets INTERNAL_ERROR", call.methodName());
        } catch (RuntimeException e) {
            LOG.error("XenApi.call threw for {}, which its contract forbids; the client gets INTERNAL_ERROR",
                    call.methodName(), e);
        }
        return internalError("the call failed inside the server; see the server log");
    }

    private void encodeInternalError(String message, ByteBuf out) {
        try {
            codec.encodeResponse(internalError(message), out);
        } catch (XmlRpcCodec.ResponseEncodingException impossible) {
            throw new IllegalStateException("a struct of plain strings could not be encoded", impossible);
        }
    }

    private static Map<String, Object> internalError(String message) {
        return Map.of("Status", "Failure", "ErrorDescription", List.of(ErrorCodes.INTERNAL_ERROR, message));
    }
}
