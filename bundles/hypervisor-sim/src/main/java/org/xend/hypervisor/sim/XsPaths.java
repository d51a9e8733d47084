package org.xend.hypervisor.sim;

import java.util.List;

import org.xend.api.spi.xenstore.XenStoreException;

/** Xenstore path rules, as xenstored enforces them. */
final class XsPaths {

    static final String INTRODUCE_DOMAIN = "@introduceDomain";
    static final String RELEASE_DOMAIN = "@releaseDomain";

    /** XENSTORE_ABS_PATH_MAX. */
    static final int MAX_PATH_LENGTH = 3072;
    /** XENSTORE_PAYLOAD_MAX: a value must fit in one message. */
    static final int MAX_VALUE_LENGTH = 4096;

    private static final String VALID_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/_@";

    private XsPaths() {
    }

    /** Validates an absolute node path and splits it into its names; the root has none. */
    static List<String> segments(String path) {
        checkNodePath(path);
        if (path.equals("/")) {
            return List.of();
        }
        return List.of(path.substring(1).split("/"));
    }

    static void checkNodePath(String path) {
        if (path == null || path.isEmpty()) {
            throw new XenStoreException("EINVAL", "empty path");
        }
        if (path.charAt(0) != '/') {
            throw new XenStoreException("EINVAL", "path must be absolute: " + path);
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new XenStoreException("EINVAL", "path longer than " + MAX_PATH_LENGTH + " characters");
        }
        if (path.length() > 1 && path.endsWith("/")) {
            throw new XenStoreException("EINVAL", "path ends with '/': " + path);
        }
        if (path.contains("//")) {
            throw new XenStoreException("EINVAL", "empty name in path: " + path);
        }
        for (int i = 0; i < path.length(); i++) {
            if (VALID_CHARS.indexOf(path.charAt(i)) < 0) {
                throw new XenStoreException("EINVAL", "invalid character '" + path.charAt(i) + "' in path " + path);
            }
        }
    }

    static void checkValue(String value) {
        if (value == null) {
            throw new XenStoreException("EINVAL", "null value");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new XenStoreException("E2BIG", "value longer than " + MAX_VALUE_LENGTH + " characters");
        }
    }

    /** A path a watch may be set on: a node path or one of the special domain paths. */
    static void checkWatchPath(String path) {
        if (INTRODUCE_DOMAIN.equals(path) || RELEASE_DOMAIN.equals(path)) {
            return;
        }
        checkNodePath(path);
    }

    /** True when {@code path} is {@code ancestor} or lies below it. Special paths only match themselves. */
    static boolean isAtOrBelow(String path, String ancestor) {
        if (path.equals(ancestor)) {
            return true;
        }
        if (ancestor.charAt(0) != '/' || path.charAt(0) != '/') {
            return false;
        }
        return ancestor.equals("/") || path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/';
    }
}
