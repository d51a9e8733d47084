package org.xend.rpc.xmlrpc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code org.xend.rpc.xmlrpc}: the limits and the client filter of the XML-RPC front door.
 * The address and port it listens on belong to the daemon-wide PID {@code org.xend.daemon}.
 */
@ObjectClassDefinition(
        pid = XmlRpcHttpComponent.PID,
        name = "Xend XML-RPC front door",
        description = "Limits and client filter of the Xen API XML-RPC listener. "
                + "The listen address and port are bindAddress and xenapiPort of org.xend.daemon.")
public @interface XmlRpcConfig {

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

    @AttributeDefinition(name = "Allowed hosts",
            description = "Space-separated regular expressions matched (from the start, as Xend did) against the "
                    + "client's IP address, and against 'localhost' for loopback clients. Empty allows every "
                    + "client; others get HTTP 403.",
            required = false)
    String allowedHosts() default "";
}
