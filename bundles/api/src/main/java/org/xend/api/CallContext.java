package org.xend.api;

/**
 * Where a call came from. {@code transport} is e.g. {@code http}, {@code https}, {@code unix}, {@code shell},
 * {@code jmx}; {@code peer} is the client's address when there is one.
 */
public record CallContext(String transport, String peer) {

    public static CallContext of(String transport, String peer) {
        return new CallContext(transport, peer == null ? "" : peer);
    }
}
