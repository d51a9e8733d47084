package org.xend.api.spi.relocation;

/** The destination's word that it restored the VM: its ref (the uuid, unchanged) and its new domain id there. */
public record MigrationReceipt(String vm, int domid) {
}
