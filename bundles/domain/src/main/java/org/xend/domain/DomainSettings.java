package org.xend.domain;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Xend domain lifecycle", description = "How Xend drives domains")
public @interface DomainSettings {

    @AttributeDefinition(description = "Seconds a clean shutdown or reboot waits for the guest before the domain is "
            + "destroyed (Xend: 30)")
    int shutdownTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Seconds that must pass between two automatic restarts of a domain; a faster "
            + "restart is refused (Xend: 20)")
    int minimumRestartSeconds() default 20;

    @AttributeDefinition(description = "Seconds the daemon waits, when it stops, for the on_xend_stop actions")
    int stopActionTimeoutSeconds() default 60;
}
