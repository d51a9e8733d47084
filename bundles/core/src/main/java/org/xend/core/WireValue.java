package org.xend.core;

/**
 * A message result that its implementation already put in wire form, for results whose shape the declared type
 * cannot describe exactly (event records carry the record of whichever class the event is about). The dispatcher
 * sends {@code value} as it is.
 */
public record WireValue(Object value) {
}
