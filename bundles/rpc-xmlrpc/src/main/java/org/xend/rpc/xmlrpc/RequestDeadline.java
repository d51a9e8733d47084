package org.xend.rpc.xmlrpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Bounds the time a client takes to send one complete request, counted from the first byte, headers included
 * (slow-header clients never produce a decoded request, so this must look at raw bytes, ahead of the HTTP codec).
 * When the time is up it fires {@link RequestTimeoutEvent}; the call handler answers it.
 *
 * <p>A timer is only armed when a read ends with a request still incomplete, so a request that arrives whole costs
 * one clock read. Per channel, used on its event loop only.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

    /** Fired down the pipeline when a request took longer than the request timeout to arrive. */
    static final class RequestTimeoutEvent {
        static final RequestTimeoutEvent INSTANCE = new RequestTimeoutEvent();

        private RequestTimeoutEvent() {
        }
    }

    private final long timeoutNanos;
    private boolean receiving;
    private long startedAt;
    private ScheduledFuture<?> timer;

    RequestDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Called by the request gate when the last part of a request went through. */
    void requestComplete() {
        receiving = false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!receiving) {
            receiving = true;
            startedAt = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (receiving && timer == null) {
            arm(ctx, startedAt + timeoutNanos - System.nanoTime());
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> expire(ctx), Math.max(delayNanos, 0), TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!receiving || !ctx.channel().isActive()) {
            return;
        }
        long left = startedAt + timeoutNanos - System.nanoTime();
        if (left > 0) {
            arm(ctx, left);   // the request that armed the timer finished; a later one is still on its way
        } else {
            ctx.fireUserEventTriggered(RequestTimeoutEvent.INSTANCE);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
