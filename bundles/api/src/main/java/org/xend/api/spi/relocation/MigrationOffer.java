package org.xend.api.spi.relocation;

/**
 * What the source tells the destination before the image: the VM's uuid and name, the memory its domain holds (in
 * bytes), and whether it is paused (the destination then leaves it paused).
 */
public record MigrationOffer(String uuid, String name, long memoryBytes, boolean paused) {
}
