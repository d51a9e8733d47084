package org.xend.api.spi.hypervisor;

/**
 * The SEDF scheduler's parameters of one domain, as xc_sedf_domain_get/set carry them: period, slice and latency in
 * nanoseconds (xm shows and takes milliseconds), whether the domain may run in extra time beyond its slice, and its
 * weight. A weight of 0 makes the domain time-driven (it gets {@code slice} of every {@code period}); a weight above 0
 * makes it weight-driven (its slice is its weight's share of a 100 ms period, after what time-driven domains
 * reserve on the same CPU).
 */
public record SchedSedf(long periodNs, long sliceNs, long latencyNs, boolean extratime, int weight) {
}
