package org.xend.api.spi.hypervisor;

/**
 * What is needed to build a domain. Memory in KiB: {@code maxMemoryKib} is the static maximum,
 * {@code targetMemoryKib} the initial balloon target (reserved at creation). For a PV guest the kernel,
 * ramdisk and command line are those of the image; for HVM they may be empty.
 */
public record DomainConfig(String uuid, String name, boolean hvm, int maxVcpus, int onlineVcpus,
                           long maxMemoryKib, long targetMemoryKib, String kernel, String ramdisk, String cmdline,
                           long ssidref) {
}
