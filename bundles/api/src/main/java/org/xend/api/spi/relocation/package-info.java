/**
 * Migration between daemons: the domain layer sends a VM through a {@link org.xend.api.spi.relocation.RelocationClient}
 * to another host's relocation server, which hands it to that host's domain layer.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.xend.api.spi.relocation;
