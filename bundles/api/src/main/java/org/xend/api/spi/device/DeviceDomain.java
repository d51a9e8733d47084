package org.xend.api.spi.device;

/**
 * The domain a device belongs to, as its controller needs it: the domid (frontend under
 * {@code /local/domain/<domid>}), the VM's uuid ({@code /vm/<uuid>}), its name (the backend's {@code domain}
 * entry) and whether it is an HVM guest.
 */
public record DeviceDomain(int domid, String vmUuid, String name, boolean hvm) {
    public DeviceDomain {
        if (domid <= 0) {
            throw new IllegalArgumentException("a device belongs to a guest domain, not domain " + domid);
        }
    }
}
