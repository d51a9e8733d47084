package org.xend.relocation;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The metatype of configuration PID {@code org.xend.relocation}, which {@link RelocationSettings} reads. Designated
 * here because the components that read it also read the daemon-wide PID, and so cannot carry a
 * {@code @Designate}.
 */
@ObjectClassDefinition(
        pid = RelocationSettings.PID,
        name = "Xend relocation",
        description = "Migration between daemons: the relocation server and the port migrations go to.")
@interface RelocationConfig {

    @AttributeDefinition(name = "Relocation server",
            description = "Receive migrations from other hosts (Xend's xend-relocation-server, off by default). "
                    + "The environment variable XEND_RELOCATION_SERVER overrides it.")
    boolean server() default false;

    @AttributeDefinition(name = "Address",
            description = "Address the relocation server listens on; empty: the daemon's bindAddress "
                    + "(org.xend.daemon). XEND_RELOCATION_ADDRESS overrides it.",
            required = false)
    String address() default "";

    @AttributeDefinition(name = "Port",
            description = "Port of the relocation server, and the port a migration goes to when none is given "
                    + "(Xend: 8002). XEND_RELOCATION_PORT overrides it.",
            min = "1", max = "65535")
    int port() default RelocationSettings.DEFAULT_PORT;

    @AttributeDefinition(name = "Allowed hosts",
            description = "Space-separated regular expressions matched from the start against the peer's IP "
                    + "address and host name ('localhost' for loopback peers); empty allows every peer. "
                    + "XEND_RELOCATION_HOSTS_ALLOW overrides it.",
            required = false)
    String hostsAllow() default "";

    @AttributeDefinition(name = "Timeout (seconds)",
            description = "How long either side of a migration waits for the other to send or answer; an idle "
                    + "peer is disconnected after it. XEND_RELOCATION_TIMEOUT_SECONDS overrides it.",
            min = "1")
    int timeoutSeconds() default RelocationSettings.DEFAULT_TIMEOUT_SECONDS;

    @AttributeDefinition(name = "Concurrent migrations",
            description = "How many migrations the server receives at once; more are declined. "
                    + "XEND_RELOCATION_MAX_CONNECTIONS overrides it.",
            min = "1")
    int maxConnections() default RelocationSettings.DEFAULT_MAX_CONNECTIONS;
}
