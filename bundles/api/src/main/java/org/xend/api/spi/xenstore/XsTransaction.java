package org.xend.api.spi.xenstore;

/** A xenstore transaction. Closing it without a successful commit aborts it. */
public interface XsTransaction extends XenStoreOps, AutoCloseable {

    /** Commits; false when another writer changed something this transaction read (EAGAIN): retry. */
    boolean commit();

    void abort();

    @Override
    void close();
}
