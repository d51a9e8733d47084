package org.xend.api.spi.relocation;

/** A migration failed: the destination could not be reached, declined the VM, failed or stopped answering. */
public class RelocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RelocationException(String message) {
        super(message);
    }

    public RelocationException(String message, Throwable cause) {
        super(message, cause);
    }
}
