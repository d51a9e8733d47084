package org.xend.api.spi.auth;

import org.xend.api.datamodel.Role;

/** An open session: its ref, its user, the user's role, and whether it is the local superuser (root). */
public record SessionInfo(String ref, String user, Role role, boolean superuser) {
}
