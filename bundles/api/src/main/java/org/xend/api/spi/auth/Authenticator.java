package org.xend.api.spi.auth;

import org.osgi.annotation.versioning.ConsumerType;

/** Checks a user's password (service property {@code name}: {@code file}, {@code pam}, {@code none}). */
@ConsumerType
public interface Authenticator {
    String PROPERTY_NAME = "name";

    String name();

    /** True if the password is right for this user. Must not throw for a bad user or password. */
    boolean authenticate(String user, char[] password);
}
