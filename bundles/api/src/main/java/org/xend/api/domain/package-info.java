/**
 * The domain layer as a service, for the doors that speak in configurations rather than Xen API records: the legacy
 * xm XML-RPC API and the Karaf shell. It runs the same lifecycle code, with the same checks, as the Xen API's VM
 * class; failures are {@link org.xend.api.XenApiException}s with the Xen API's codes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.xend.api.domain;
