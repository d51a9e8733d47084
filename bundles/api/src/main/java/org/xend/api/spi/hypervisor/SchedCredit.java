package org.xend.api.spi.hypervisor;

/** The credit scheduler's parameters of one domain: weight 1–65535 (default 256), cap in percent of one CPU (0 = none). */
public record SchedCredit(int weight, int cap) {
}
