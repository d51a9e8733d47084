package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;

/**
 * The end of the HTTP pipeline: hands each complete request to a worker thread (calls may block for a long time,
 * e.g. {@code VM.start} or {@code event.next}, and must never hold an event loop), and writes the response from
 * there. Requests of one connection are served one at a time, in order, so pipelined requests get their answers in
 * the order they were sent; reading stops while more than one is waiting.
 *
 * <p>Per channel. Its state is touched on the channel's event loop only: the worker merely builds the response and
 * writes it, and the write's completion comes back to the event loop.
 */
final class HttpCallHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpCallHandler.class);

    private static final String CONTENT_TYPE_XML = "text/xml";

    private final XmlRpcEndpoint endpoint;
    private final Executor workers;
    private final CallContext context;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(2);
    private boolean busy;
    /** Set by the worker once the call is over and its answer is being written; a stalled write may be closed. */
    private volatile boolean writing;

    HttpCallHandler(XmlRpcEndpoint endpoint, Executor workers, CallContext context) {
        this.endpoint = endpoint;
        this.workers = workers;
        this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            waiting.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(ctx, request);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            workers.execute(() -> serve(ctx, request, keepAlive));
        } catch (RejectedExecutionException e) {
            request.release();
            busy = false;
            HttpErrors.respondAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE);
        }
    }

    /** On a worker thread. */
    private void serve(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        HttpVersion version = request.protocolVersion();
        ByteBuf body;
        try {
            body = endpoint.handle(request.content(), context, ctx.alloc());
        } catch (RuntimeException e) {
            LOG.error("The request of {} failed outside the API call; closing its connection", context.peer(), e);
            ctx.close();
            return;
        } finally {
            request.release();
        }
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.OK, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE_XML)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!version.isKeepAliveDefault()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        writing = true;
        ctx.writeAndFlush(response).addListener(f -> responded(ctx, (ChannelFuture) f, keepAlive));
    }

    /** On the event loop, once the response is out. */
    private void responded(ChannelHandlerContext ctx, ChannelFuture write, boolean keepAlive) {
        busy = false;
        writing = false;
        if (!keepAlive || !write.isSuccess()) {
            ctx.close();
            return;
        }
        FullHttpRequest next = waiting.poll();
        if (next != null) {
            dispatch(ctx, next);
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // A running call is not idleness (event.next may wait long); a client that stopped reading its answer is.
            if (!busy || writing) {
                LOG.debug("Closing the idle connection of {}", context.peer());
                ctx.close();
            }
        } else if (evt instanceof RequestDeadline.RequestTimeoutEvent) {
            LOG.debug("{} took too long to send a request; closing its connection", context.peer());
            if (busy || !handshakeDone(ctx)) {
                ctx.close();
            } else {
                HttpErrors.respondAndClose(ctx, HttpResponseStatus.REQUEST_TIMEOUT);
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
        ctx.fireChannelInactive();
    }

    /** Whether an HTTPS connection finished its handshake (a plain connection has none): only then can it be answered. */
    private static boolean handshakeDone(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        return tls == null || tls.handshakeFuture().isSuccess();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // A failed handshake: a plain-HTTP client on the HTTPS port, an untrusting client, a scanner.
            LOG.debug("TLS with {} failed: {}", context.peer(), cause.getCause().getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("Connection of {} failed: {}", context.peer(), cause.getMessage());
        } else {
            LOG.warn("Closing the connection of {} after an unexpected error", context.peer(), cause);
        }
        ctx.close();
    }
}
