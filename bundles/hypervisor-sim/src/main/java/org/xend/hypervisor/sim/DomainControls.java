package org.xend.hypervisor.sim;

import java.util.ArrayList;
import java.util.List;

import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.SchedSedf;

/**
 * What Xen keeps per domain beside its memory and vCPUs, for the toolstack's rarer calls: the SEDF scheduler's
 * parameters, the shadow paging mode and allocation, and the I/O ports the domain may use. Immutable.
 *
 * @param shadowMode  the {@code MODE_*} flags in force (0: no shadow paging)
 * @param shadowPages shadow page-table memory in 4 KiB pages; taken from the host's free memory
 * @param ioports     the permitted I/O port ranges, sorted, disjoint and not adjacent
 */
record DomainControls(SchedSedf sedf, int shadowMode, long shadowPages, List<PortRange> ioports) {

    /** Shadow paging is on (Xen's PG_SH_enable). */
    static final int MODE_ENABLED = 1;
    static final int MODE_REFCOUNTS = 1 << 1;
    static final int MODE_LOG_DIRTY = 1 << 2;
    static final int MODE_TRANSLATE = 1 << 3;
    static final int MODE_EXTERNAL = 1 << 4;
    /** The mode an HVM guest is built with: Xen shadows its page tables for it from the start. */
    static final int HVM_MODE = MODE_ENABLED | MODE_REFCOUNTS | MODE_TRANSLATE | MODE_EXTERNAL;

    static final int PAGES_PER_MIB = 256;
    /** The smallest allocation shadow_enable gives a domain that has none. */
    static final long MIN_ENABLE_PAGES = 256;
    /** Shadow pages are allocated in blocks of 4 pages (SHADOW_MAX_ORDER 2 on PAE and 64-bit hosts). */
    static final long PAGE_BLOCK = 4;
    static final int MAX_PORT = 0xFFFF;

    /** One range of I/O ports, both ends included. */
    record PortRange(int first, int last) {
        PortRange {
            if (first < 0 || last > MAX_PORT || first > last) {
                throw new IllegalArgumentException("not an I/O port range: " + first + "-" + last);
            }
        }

        @Override
        public String toString() {
            return first == last ? Integer.toHexString(first)
                    : Integer.toHexString(first) + "-" + Integer.toHexString(last);
        }
    }

    DomainControls {
        ioports = List.copyOf(ioports);
    }

    /** What Xen gives a new domain: SEDF defaults, shadow paging for HVM only, and no I/O ports. */
    static DomainControls initial(DomainConfig config) {
        if (!config.hvm()) {
            return new DomainControls(SedfScheduler.defaults(false), 0, 0, List.of());
        }
        return new DomainControls(SedfScheduler.defaults(false), HVM_MODE,
                allocationFor(MIN_ENABLE_PAGES, config.maxVcpus(), 0), List.of());
    }

    /** Domain-0: SEDF's dom0 defaults, no shadow paging, and every I/O port (the sim has no ports to withhold). */
    static DomainControls domain0() {
        return new DomainControls(SedfScheduler.defaults(true), 0, 0, List.of(new PortRange(0, MAX_PORT)));
    }

    long shadowKib() {
        return shadowPages * 4;
    }

    /** The allocation in MiB, rounded up, as XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION reports it. */
    int shadowMib() {
        return (int) ((shadowPages + PAGES_PER_MIB - 1) / PAGES_PER_MIB);
    }

    boolean shadowEnabled() {
        return (shadowMode & MODE_ENABLED) != 0;
    }

    boolean logDirty() {
        return (shadowMode & MODE_LOG_DIRTY) != 0;
    }

    /**
     * The pages sh_set_allocation settles on for a request: at least 128 per vCPU plus one per MiB of the domain's
     * memory (unless the request is 0), rounded up to whole blocks.
     */
    static long allocationFor(long requestedPages, int vcpus, long memoryKib) {
        long pages = requestedPages;
        long lowerBound = 128L * vcpus + memoryKib / 1024;
        if (pages > 0 && pages < lowerBound) {
            pages = lowerBound;
        }
        return (pages + PAGE_BLOCK - 1) / PAGE_BLOCK * PAGE_BLOCK;
    }

    DomainControls withSedf(SchedSedf params) {
        return new DomainControls(params, shadowMode, shadowPages, ioports);
    }

    DomainControls withShadow(int mode, long pages) {
        return new DomainControls(sedf, mode, pages, ioports);
    }

    /** The ranges with {@code first..last} permitted (allow) or withdrawn, merged as Xen's rangesets are. */
    DomainControls withIoports(int first, int last, boolean allow) {
        List<PortRange> out = new ArrayList<>();
        int newFirst = first;
        int newLast = last;
        for (PortRange r : ioports) {
            if (r.last() < first - 1 || r.first() > last + 1 || (!allow && (r.last() < first || r.first() > last))) {
                out.add(r);
            } else if (allow) {
                newFirst = Math.min(newFirst, r.first());
                newLast = Math.max(newLast, r.last());
            } else {
                if (r.first() < first) {
                    out.add(new PortRange(r.first(), first - 1));
                }
                if (r.last() > last) {
                    out.add(new PortRange(last + 1, r.last()));
                }
            }
        }
        if (allow) {
            out.add(new PortRange(newFirst, newLast));
        }
        out.sort((a, b) -> Integer.compare(a.first(), b.first()));
        return new DomainControls(sedf, shadowMode, shadowPages, out);
    }
}
