package org.xend.api.spi.config;

/** A configuration could not be read: the message names the place (line and column where known) and the problem. */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
