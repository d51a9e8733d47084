package org.xend.hypervisor.sim;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.SchedSedf;

/**
 * Xen 3.1's Simple EDF scheduler, as far as the toolstack sees it: its defaults, the checks of
 * XEN_DOMCTL_SCHEDOP_putinfo, and the slices of weight-driven domains, which share what time-driven domains leave of
 * a 100 ms period on their CPU. A domain's parameters are kept as set; the slice of a weight-driven one is worked out
 * when it is read, from the domains on its first vCPU's CPU at that moment.
 */
final class SedfScheduler {

    static final String NAME = "sedf";
    static final long WEIGHT_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long WEIGHT_SAFETY_NS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long PERIOD_MAX_NS = TimeUnit.SECONDS.toNanos(10);
    static final long PERIOD_MIN_NS = TimeUnit.MICROSECONDS.toNanos(10);
    static final long SLICE_MIN_NS = TimeUnit.MICROSECONDS.toNanos(5);
    static final int MAX_WEIGHT = 0xFFFF;

    private SedfScheduler() {
    }

    /** Domain-0 gets 15 ms of every 20 ms; every other domain runs in extra time only. Both may use extra time. */
    static SchedSedf defaults(boolean domain0) {
        return domain0
                ? new SchedSedf(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(15), 0, true, 0)
                : new SchedSedf(WEIGHT_PERIOD_NS, 0, 0, true, 0);
    }

    /** The parameters a domain keeps after a putinfo with {@code requested}; EINVAL where Xen refuses them. */
    static SchedSedf accept(int domid, SchedSedf requested) {
        if (requested == null) {
            throw new HypervisorException("no SEDF parameters for domain " + domid, Errno.EINVAL);
        }
        if (requested.periodNs() < 0 || requested.sliceNs() < 0 || requested.latencyNs() < 0) {
            throw new HypervisorException("SEDF period, slice and latency cannot be negative", Errno.EINVAL);
        }
        if (requested.weight() < 0 || requested.weight() > MAX_WEIGHT) {
            throw new HypervisorException("SEDF weight must be between 0 and " + MAX_WEIGHT + ", got "
                    + requested.weight(), Errno.EINVAL);
        }
        if (requested.periodNs() == 0 && requested.weight() == 0) {
            throw new HypervisorException("a SEDF domain needs a period or a weight", Errno.EINVAL);
        }
        if (requested.weight() > 0) {
            if (requested.extratime() && requested.periodNs() == 0) {
                // extra time only: the weight shares the extra time, and the domain has no slice of its own
                return new SchedSedf(WEIGHT_PERIOD_NS, 0, requested.latencyNs(), true, 0);
            }
            return new SchedSedf(WEIGHT_PERIOD_NS, 0, requested.latencyNs(), requested.extratime(),
                    requested.weight());
        }
        if (requested.periodNs() > PERIOD_MAX_NS || requested.periodNs() < PERIOD_MIN_NS
                || requested.sliceNs() > requested.periodNs() || requested.sliceNs() < SLICE_MIN_NS) {
            throw new HypervisorException("a time-driven SEDF domain needs a period from 10 us to 10 s and a slice "
                    + "from 5 us to its period; got period " + requested.periodNs() + " ns, slice "
                    + requested.sliceNs() + " ns", Errno.EINVAL);
        }
        return requested;
    }

    /**
     * The parameters as XEN_DOMCTL_SCHEDOP_getinfo reads them: for a weight-driven domain, a 100 ms period and its
     * weight's share of what is left on its CPU (less 5 ms of safety) once the time-driven domains there are served.
     */
    static SchedSedf effective(DomainRecord domain, Collection<DomainRecord> all) {
        SchedSedf own = domain.controls().sedf();
        if (own.weight() == 0) {
            return own;
        }
        int cpu = domain.vcpus().get(0).pcpu();
        long weights = 0;
        long reservedNs = 0;
        for (DomainRecord other : all) {
            SchedSedf s = other.controls().sedf();
            for (DomainRecord.Vcpu v : other.vcpus()) {
                if (v.pcpu() != cpu) {
                    continue;
                }
                if (s.weight() > 0) {
                    weights += s.weight();
                } else if (s.periodNs() > 0) {
                    reservedNs += WEIGHT_PERIOD_NS * s.sliceNs() / s.periodNs();
                }
            }
        }
        long left = Math.max(0, WEIGHT_PERIOD_NS - WEIGHT_SAFETY_NS - reservedNs);
        long slice = weights == 0 ? 0 : own.weight() * left / weights;
        return new SchedSedf(WEIGHT_PERIOD_NS, slice, own.latencyNs(), own.extratime(), own.weight());
    }
}
