package org.xend.benchmarks;

/**
 * Latencies in nanoseconds, counted in fixed log-linear buckets: exact below 64 ns, then 64 buckets per power of two
 * (a relative error under 1.6 %) up to about 68 s; longer values land in the last bucket. Recording allocates nothing.
 * Not thread-safe: keep one per thread and {@link #add} them afterwards.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 6;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** The highest power of two with its own buckets: 2^36 ns is about 68 s. */
    private static final int TOP_OCTAVE = 36;
    private static final int BUCKETS = SUB_BUCKETS + (TOP_OCTAVE - SUB_BITS + 1) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    /** Adds every value recorded in {@code other}. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return total;
    }

    public long min() {
        return total == 0 ? 0 : min;
    }

    public long max() {
        return max;
    }

    public double mean() {
        return total == 0 ? 0 : sum / total;
    }

    /**
     * The value below or at which {@code fraction} of the recorded values lie, given as the upper end of its bucket
     * (never above the largest value recorded), so the error is on the pessimistic side; 0 gives the minimum and 1
     * the maximum. 0 when empty.
     */
    public long percentile(double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction must be within [0, 1], got " + fraction);
        }
        if (total == 0) {
            return 0;
        }
        if (fraction == 0) {
            return min;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                // the last bucket is open-ended: its values are only bounded by the maximum
                return i == BUCKETS - 1 ? max : Math.min(max, Math.max(min, upperBound(i)));
            }
        }
        return max;
    }

    static int index(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int octave = 63 - Long.numberOfLeadingZeros(v);
        if (octave > TOP_OCTAVE) {
            return BUCKETS - 1;
        }
        int shift = octave - SUB_BITS;
        int sub = (int) (v >>> shift) - SUB_BUCKETS;
        return SUB_BUCKETS + shift * SUB_BUCKETS + sub;
    }

    /** The largest value that falls into bucket {@code index}. */
    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / SUB_BUCKETS;
        int sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub + 1) << shift) - 1;
    }
}
