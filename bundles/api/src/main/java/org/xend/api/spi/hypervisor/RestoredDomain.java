package org.xend.api.spi.hypervisor;

/**
 * A domain rebuilt from a save image: its new domid (left paused) and the configuration stored in the image, byte
 * for byte as it was given to {@link Hypervisor#saveDomain}. As a record over an array, two instances are equal
 * only if they share the same array.
 */
public record RestoredDomain(int domid, byte[] config) {
}
