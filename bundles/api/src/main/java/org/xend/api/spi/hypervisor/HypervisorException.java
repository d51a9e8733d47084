package org.xend.api.spi.hypervisor;

/** A hypervisor call failed. {@code errno} is the Xen/Unix error number when there is one, else 0. */
public class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public HypervisorException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
