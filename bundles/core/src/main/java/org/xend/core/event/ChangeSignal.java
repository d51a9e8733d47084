package org.xend.core.event;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Lets event readers sleep until the store commits. {@link #wakeAll} is called after every commit, once the
 * commit's generation is visible; with nobody waiting it costs one atomic read.
 *
 * <p>No wake-up is lost: a waiter counts itself in and then re-reads the generation (and its own reason to stop)
 * under the lock, while a committer publishes the generation and then reads the count; one of them sees the
 * other (both are volatile), and a committer that sees a waiter signals under the same lock.
 */
final class ChangeSignal {

    private final LongSupplier generation;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closed;

    ChangeSignal(LongSupplier generation) {
        this.generation = generation;
    }

    /** Wakes every waiter: the store committed, or a waiter's reason to stop may have become true. */
    void wakeAll() {
        if (waiting.get() == 0) {
            return;
        }
        lock.lock();
        try {
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns once the generation is past {@code seen}, {@code stop} is true, the deadline
     * ({@link System#nanoTime()}) has passed, the signal is closed, or {@link #wakeAll} was called. Callers loop
     * and look again, since a wake-up does not say which of these happened.
     *
     * @param deadlineNanos ignored when {@code bounded} is false
     * @param stop          set before {@link #wakeAll} by whoever wants the waiter to give up
     */
    void await(long seen, boolean bounded, long deadlineNanos, BooleanSupplier stop) throws InterruptedException {
        lock.lock();
        waiting.incrementAndGet();
        try {
            if (closed || generation.getAsLong() > seen || stop.getAsBoolean()) {
                return;
            }
            if (!bounded) {
                committed.await();
                return;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                committed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            waiting.decrementAndGet();
            lock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Wakes every waiter for good: later waits return at once. */
    void close() {
        closed = true;
        lock.lock();
        try {
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
