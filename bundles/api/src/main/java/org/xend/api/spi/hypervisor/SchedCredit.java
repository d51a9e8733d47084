package org.xend.api.spi.hypervisor;

/**
 * The credit scheduler's parameters of one domain: weight 1–65535 (default 256), and cap in percent of one
 * physical CPU for the whole domain (0 = no cap, at most 100 × its vCPUs).
 */
public record SchedCredit(int weight, int cap) {
}
