package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsCoverEveryValueContiguouslyAndUpperBoundsHoldTheirValues() {
        long previousUpper = -1;
        for (int i = 0; i < LatencyHistogram.index(1L << 36); i++) {
            long upper = LatencyHistogram.upperBound(i);
            assertEquals(previousUpper + 1, lowerBoundOf(i), "bucket " + i + " starts where the previous ended");
            assertEquals(i, LatencyHistogram.index(upper));
            assertEquals(i, LatencyHistogram.index(previousUpper + 1));
            previousUpper = upper;
        }
    }

    private static long lowerBoundOf(int index) {
        return index == 0 ? 0 : LatencyHistogram.upperBound(index - 1) + 1;
    }

    @Test
    void percentilesOfAUniformSpreadAreWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            h.record(micros * 1000);
        }
        assertEquals(10_000, h.count());
        assertWithin(5_000_000, h.percentile(0.50), 0.016);
        assertWithin(9_900_000, h.percentile(0.99), 0.016);
        assertEquals(10_000_000, h.percentile(1.0), "the top percentile is the exact maximum");
        assertEquals(1000, h.percentile(0.0), "the bottom percentile is the exact minimum");
        assertEquals(5_000_500, h.mean(), 0.5);
    }

    @Test
    void percentilesErOnTheHighSide() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            h.record(100_000 + i);
        }
        assertTrue(h.percentile(0.5) >= 100_049);
        assertTrue(h.percentile(0.5) <= 100_099);
    }

    @Test
    void mergingAddsCountsAndKeepsExtremes() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 90; i++) {
            a.record(50_000);
        }
        for (int i = 0; i < 10; i++) {
            b.record(2_000_000);
        }
        a.add(b);
        assertEquals(100, a.count());
        assertEquals(50_000, a.min());
        assertEquals(2_000_000, a.max());
        assertWithin(50_000, a.percentile(0.90), 0.016);
        assertWithin(2_000_000, a.percentile(0.91), 0.016);
    }

    @Test
    void anEmptyHistogramReportsZeros() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.count());
        assertEquals(0, h.percentile(0.99));
        assertEquals(0, h.min());
        assertEquals(0, h.mean());
    }

    @Test
    void valuesBeyondTheRangeLandInTheLastBucketButKeepTheirMaximum() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(Long.MAX_VALUE / 2);
        h.record(-5);
        assertEquals(2, h.count());
        assertEquals(Long.MAX_VALUE / 2, h.max());
        assertEquals(0, h.min(), "negative durations (clock oddities) count as zero");
        assertEquals(Long.MAX_VALUE / 2, h.percentile(1.0));
    }

    @Test
    void refusesFractionsOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new LatencyHistogram().percentile(1.5));
    }

    private static void assertWithin(long expected, long actual, double relative) {
        assertTrue(Math.abs(actual - expected) <= expected * relative,
                "expected " + expected + " ± " + (relative * 100) + " %, got " + actual);
    }
}
