/**
 * Device controllers: one service per device class (service property {@code deviceClass}), turning a device of a VM
 * configuration into the frontend and backend entries of the xenstore and back, as Xend's DevController layer did.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.xend.api.spi.device;
