package org.xend.api.spi.hypervisor;

/** The operations of xc_shadow_control ({@code XEN_DOMCTL_SHADOW_OP_*}), by their numbers in Xen's ABI. */
public final class ShadowOp {
    /** Leaves shadow mode (log-dirty and test mode); a domain that needs shadow paging keeps it. */
    public static final int OFF = 0;
    /** Shadow page tables for a guest that does not need them, to test shadow paging. */
    public static final int ENABLE_TEST = 1;
    /** Tracks the pages the guest writes (live migration). */
    public static final int ENABLE_LOGDIRTY = 2;
    /** Translated mode: the guest sees pseudo-physical addresses. */
    public static final int ENABLE_TRANSLATE = 3;
    /** Reads and clears the dirty-page log. */
    public static final int CLEAN = 11;
    /** Reads the dirty-page log. */
    public static final int PEEK = 12;
    /** Enables shadow paging with mode flags (none: as {@link #ENABLE_TEST}). */
    public static final int ENABLE = 32;
    /** Reads the allocation (see {@link Hypervisor#shadowAllocationMib}). */
    public static final int GET_ALLOCATION = 30;
    /** Sets the allocation (see {@link Hypervisor#setShadowAllocationMib}). */
    public static final int SET_ALLOCATION = 31;

    private ShadowOp() {
    }
}
