package org.xend.api.spi.hypervisor;

/**
 * One physical CPU: its identity (as /proc/cpuinfo tells it) and its idle time so far, in nanoseconds,
 * from which utilisation is computed.
 */
public record CpuInfo(int number, String vendor, String modelName, int family, int model, int stepping,
                      long speedMhz, String flags, long idleTimeNs) {
}
