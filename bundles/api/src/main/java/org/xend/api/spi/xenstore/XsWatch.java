package org.xend.api.spi.xenstore;

/** A registered watch; closing it unregisters it. */
public interface XsWatch extends AutoCloseable {
    @Override
    void close();
}
