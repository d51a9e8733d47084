package org.xend.rpc.xmlrpc;

import java.util.Objects;
import java.util.function.IntFunction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.XenApi;

/**
 * One XML-RPC exchange, whatever the transport: decode the {@code methodCall}, call the {@link XmlRpcHandler}, encode
 * its value (or its fault) as the {@code methodResponse}. A request that is not usable XML-RPC gets an XML-RPC fault;
 * everything past decoding gets the handler's answer. Blocking: run it off any I/O thread.
 */
public final class XmlRpcEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcEndpoint.class);

    /** Large enough for most answers (a VM record is about 9 KB), small enough to come from the pool cheaply. */
    private static final int RESPONSE_CAPACITY = 16 * 1024;
    private static final int FAULT_CAPACITY = 512;

    private final XmlRpcHandler handler;
    private final XmlRpcCodec codec;

    /** The Xen API: every answer is a {@code {Status, ...}} struct. */
    public XmlRpcEndpoint(XenApi api, int maxDepth) {
        this(new XenApiHandler(api), maxDepth);
    }

    public XmlRpcEndpoint(XmlRpcHandler handler, int maxDepth) {
        this(handler, new XmlRpcCodec(maxDepth));
    }

    XmlRpcEndpoint(XmlRpcHandler handler, XmlRpcCodec codec) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Handles one request body and returns the complete response document in a buffer from {@code allocator},
     * which the caller owns. The buffer is only taken once the call is over, so a long call holds no output memory.
     * Never throws for anything the client sent or the handler answered; the request buffer is read, not released.
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
        Answer answer = invoke(call, context);
        ByteBuf out = output.apply(answer.fault() == null ? RESPONSE_CAPACITY : FAULT_CAPACITY);
        int start = out.writerIndex();
        try {
            try {
                encode(answer, out);
            } catch (XmlRpcCodec.ResponseEncodingException e) {
                LOG.error("The result of {} could not be encoded as XML-RPC; the client gets an internal error",
                        call.methodName(), e);
                out.writerIndex(start);
                encodeInternalError(call.methodName(), "the result could not be encoded", out);
            }
        } catch (RuntimeException | Error e) {
            if (ownsOutput) {
                out.release();
            }
            throw e;
        }
        return out;
    }

    /** The handler's value or fault; a handler that breaks its contract gets its own internal-error answer. */
    private Answer invoke(XmlRpcRequest call, CallContext context) {
        try {
            Object value = handler.call(context, call.methodName(), call.params());
            if (value != null) {
                return new Answer(value, null);
            }
            LOG.error("The handler returned null for {}; the client gets an internal error", call.methodName());
        } catch (XmlRpcFault fault) {
            return new Answer(null, fault);
        } catch (RuntimeException e) {
            LOG.error("The handler threw for {}; the client gets an internal error", call.methodName(), e);
        }
        return internalError(call.methodName(), "the call failed inside the server");
    }

    private Answer internalError(String methodName, String reason) {
        try {
            return new Answer(handler.internalError(methodName, reason), null);
        } catch (XmlRpcFault fault) {
            return new Answer(null, fault);
        } catch (RuntimeException e) {
            LOG.error("The handler's internal-error answer failed for {}", methodName, e);
            return new Answer(null, new XmlRpcFault(XmlRpcFault.INTERNAL_ERROR, "Internal error"));
        }
    }

    private void encode(Answer answer, ByteBuf out) throws XmlRpcCodec.ResponseEncodingException {
        if (answer.fault() != null) {
            codec.encodeFault(answer.fault().code(), answer.fault().getMessage(), out);
        } else {
            codec.encodeResponse(answer.value(), out);
        }
    }

    private void encodeInternalError(String methodName, String reason, ByteBuf out) {
        int start = out.writerIndex();
        try {
            encode(internalError(methodName, reason), out);
        } catch (XmlRpcCodec.ResponseEncodingException e) {
            LOG.error("The handler's internal-error answer for {} could not be encoded either", methodName, e);
            out.writerIndex(start);
            codec.encodeFault(XmlRpcFault.INTERNAL_ERROR, "Internal error", out);
        }
    }

    /** Exactly one of the two is set. */
    private record Answer(Object value, XmlRpcFault fault) {
    }
}
