package org.xend.api.spi.hypervisor;

/** The host cannot give a domain the memory it asks for. Sizes in KiB. */
public class NotEnoughMemoryException extends HypervisorException {
    private static final long serialVersionUID = 1L;
    private final long neededKib;
    private final long availableKib;

    public NotEnoughMemoryException(long neededKib, long availableKib) {
        super("not enough free memory: needed " + neededKib + " KiB, available " + availableKib + " KiB", 12);
        this.neededKib = neededKib;
        this.availableKib = availableKib;
    }

    public long neededKib() {
        return neededKib;
    }

    public long availableKib() {
        return availableKib;
    }
}
