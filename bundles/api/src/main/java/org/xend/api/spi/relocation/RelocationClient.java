package org.xend.api.spi.relocation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens migrations to other hosts' relocation servers (Xend's {@code xend-relocation-port}, 8002 by default). The
 * caller streams the domain's image, waits for the destination to hold the restored VM, lets go of its own domain,
 * then commits; until then the destination keeps nothing running.
 */
@ProviderType
public interface RelocationClient {

    /** Xend's default relocation port. */
    int DEFAULT_PORT = 8002;

    /**
     * Connects to the relocation server at {@code host}:{@code port} (0: this daemon's configured relocation port)
     * and offers it the VM; returns once the destination has accepted it and waits for its image.
     *
     * @throws RelocationException when the host cannot be reached, refuses the connection or declines the VM
     */
    OutgoingMigration open(String host, int port, MigrationOffer offer);
}
