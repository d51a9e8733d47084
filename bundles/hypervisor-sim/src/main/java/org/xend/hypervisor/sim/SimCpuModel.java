package org.xend.hypervisor.sim;

import java.util.Locale;

/**
 * The identity of the simulated pCPUs: a Westmere-class Xeon (family 6, model 44). The flags and Xen's hw_caps
 * words describe the same feature set (CPUID 1 EDX, 0x80000001 EDX, -, -, CPUID 1 ECX, -, 0x80000001 ECX, -).
 */
final class SimCpuModel {
    static final String VENDOR = "GenuineIntel";
    static final int FAMILY = 6;
    static final int MODEL = 44;
    static final int STEPPING = 2;

    static final String FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
            + "dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm pni pclmulqdq dtes64 monitor "
            + "ds_cpl vmx smx est tm2 ssse3 cx16 xtpr pdcm dca sse4_1 sse4_2 popcnt aes lahf_lm";

    /** Xen's physinfo hw_cap: eight 32-bit words, printed as Xend does. */
    static final String HW_CAPS = "bfebfbff:2c100800:00000000:00000000:029ce3ff:00000000:00000001:00000000";

    private SimCpuModel() {
    }

    static String modelName(int mhz) {
        return String.format(Locale.ROOT, "Intel(R) Xeon(R) CPU (Xend simulated) @ %.2fGHz", mhz / 1000.0);
    }
}
