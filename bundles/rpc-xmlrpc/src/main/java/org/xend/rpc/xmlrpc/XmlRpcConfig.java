package org.xend.rpc.xmlrpc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code org.xend.rpc.xmlrpc}: HTTPS, the limits and the client filter of the XML-RPC front door.
 * The address and the HTTP port it listens on, and the Unix socket directory, belong to the daemon-wide PID
 * {@code org.xend.daemon}.
 */
@ObjectClassDefinition(
        pid = XmlRpcHttpComponent.PID,
        name = "Xend XML-RPC front door",
        description = "HTTPS, limits and client filter of the Xen API XML-RPC listeners. "
                + "The listen address, the HTTP port and the Unix socket directory are bindAddress, xenapiPort and "
                + "socketDir of org.xend.daemon.")
public @interface XmlRpcConfig {

    @AttributeDefinition(name = "HTTPS port",
            description = "Port of the Xen API over HTTPS (TLS 1.2/1.3), on the daemon's bindAddress; 0 or negative "
                    + "disables HTTPS. The environment variable XEND_XENAPI_TLS_PORT overrides it.")
    int xenapiTlsPort() default XmlRpcHttpComponent.DEFAULT_TLS_PORT;

    @AttributeDefinition(name = "TLS certificate",
            description = "PEM file with the HTTPS certificate chain, leaf first. Empty (with an empty key): a "
                    + "self-signed certificate is generated into <stateDir>/tls on the first start and reused. "
                    + "A relative path is taken from Karaf's etc directory.",
            required = false)
    String tlsCertificate() default "";

    @AttributeDefinition(name = "TLS private key",
            description = "PEM file with the unencrypted private key of the certificate (PKCS#8, PKCS#1 or SEC1), "
                    + "readable by the daemon's user only. Set together with the certificate.",
            required = false)
    String tlsKey() default "";

    @AttributeDefinition(name = "Maximum request size",
            description = "Largest accepted request body in bytes; a larger request gets HTTP 413 and the "
                    + "connection is closed.",
            min = "1024")
    int maxRequestBytes() default ListenerSettings.DEFAULT_MAX_REQUEST_BYTES;

    @AttributeDefinition(name = "Maximum XML depth",
            description = "Deepest nesting of XML elements accepted in a request.",
            min = "8", max = "1024")
    int maxDepth() default ListenerSettings.DEFAULT_MAX_DEPTH;

    @AttributeDefinition(name = "Idle timeout (seconds)",
            description = "A connection with no traffic for this long is closed, unless its call is still running.",
            min = "1")
    int idleTimeoutSeconds() default ListenerSettings.DEFAULT_IDLE_TIMEOUT_SECONDS;

    @AttributeDefinition(name = "Request timeout (seconds)",
            description = "Time a client has to send a complete request once its first byte arrived; a slower "
                    + "client gets HTTP 408 and the connection is closed.",
            min = "1")
    int requestTimeoutSeconds() default ListenerSettings.DEFAULT_REQUEST_TIMEOUT_SECONDS;

    @AttributeDefinition(name = "Legacy xm API over TCP",
            description = "Also serve the legacy xm XML-RPC API (xend.*) over HTTP on bindAddress:legacyPort of "
                    + "org.xend.daemon, as Xend's xend-tcp-xmlrpc-server did. Like Xend's, it asks for no "
                    + "credentials: keep bindAddress on loopback or restrict allowedHosts. The environment variable "
                    + "XEND_LEGACY_TCP_ENABLED overrides it.")
    boolean legacyTcpEnabled() default false;

    @AttributeDefinition(name = "Allowed hosts",
            description = "Space-separated regular expressions matched (from the start, as Xend did) against the "
                    + "client's IP address, and against 'localhost' for loopback clients. Empty allows every "
                    + "client; others get HTTP 403.",
            required = false)
    String allowedHosts() default "";
}
