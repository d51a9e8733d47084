package org.xend.rpc.xmlrpc;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** HTTP-level refusals: a short plain-text answer, then the connection is closed. */
final class HttpErrors {

    private HttpErrors() {
    }

    static void respondAndClose(ChannelHandlerContext ctx, HttpResponseStatus status) {
        ByteBuf body = ctx.alloc().buffer(64);
        body.writeCharSequence(status.toString() + "\n", StandardCharsets.US_ASCII);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=US-ASCII")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (HttpResponseStatus.METHOD_NOT_ALLOWED.equals(status)) {
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.POST.name());
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
