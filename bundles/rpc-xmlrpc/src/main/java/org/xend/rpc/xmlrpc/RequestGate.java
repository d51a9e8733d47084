package org.xend.rpc.xmlrpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Looks at each request head before any body is gathered: a request the HTTP codec could not decode gets 400,
 * a client outside {@code allowedHosts} gets 403, anything but POST gets 405 (Xend ignores the path). A refused
 * connection drops everything after it and is closed once the answer is out.
 */
final class RequestGate extends ChannelInboundHandlerAdapter {

    private final boolean clientAllowed;
    private final RequestDeadline deadline;
    private boolean refused;

    RequestGate(boolean clientAllowed, RequestDeadline deadline) {
        this.clientAllowed = clientAllowed;
        this.deadline = deadline;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent) {
            deadline.requestComplete();
        }
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            HttpResponseStatus refusal = refusal(request);
            if (refusal != null) {
                refused = true;
                ReferenceCountUtil.release(msg);
                HttpErrors.respondAndClose(ctx, refusal);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private HttpResponseStatus refusal(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return HttpResponseStatus.BAD_REQUEST;
        }
        if (!clientAllowed) {
            return HttpResponseStatus.FORBIDDEN;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            return HttpResponseStatus.METHOD_NOT_ALLOWED;
        }
        return null;
    }
}
