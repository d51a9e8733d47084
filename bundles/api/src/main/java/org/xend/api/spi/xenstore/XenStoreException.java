package org.xend.api.spi.xenstore;

/** A xenstore operation failed, e.g. ENOENT for a path that does not exist. */
public class XenStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String errno;

    public XenStoreException(String errno, String message) {
        super(errno + ": " + message);
        this.errno = errno;
    }

    /** The xenstore error name: ENOENT, EACCES, EINVAL, EAGAIN, EEXIST, E2BIG … */
    public String errno() {
        return errno;
    }
}
