package org.xend.rpc.xmlrpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Gathers a request body up to {@code maxRequestBytes}. Over the limit (by Content-Length, before any body is read,
 * or while a chunked body grows) the answer is 413 and the connection is closed: Netty's default would keep a
 * keep-alive connection open and skip the rest of the body, which a hostile client can feed forever.
 */
final class RequestAggregator extends HttpObjectAggregator {

    RequestAggregator(int maxRequestBytes) {
        super(maxRequestBytes, true);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        HttpErrors.respondAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
    }
}
