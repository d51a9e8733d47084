package org.xend.devices;

/** The XenbusState values both ends of a split device publish in their {@code state} entry. */
final class XenbusState {
    static final String INITIALISING = "1";
    static final String CLOSING = "5";
    static final String CLOSED = "6";

    private XenbusState() {
    }
}
