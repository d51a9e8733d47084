package org.xend.api.spi.relocation;

import java.nio.channels.WritableByteChannel;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One migration under way, from the source's side. Use it in this order: write the image to {@link #image()},
 * {@link #awaitRestored()}, destroy the source domain, {@link #commit()}. Closing it before the commit withdraws the
 * VM: the destination destroys what it restored. If the connection is lost after the destination restored the VM
 * and before the commit, the destination keeps the VM paused, so that it neither runs twice nor is lost.
 */
@ProviderType
public interface OutgoingMigration extends AutoCloseable {

    /** Where the image goes; not to be closed by the writer. */
    WritableByteChannel image();

    /**
     * Sends the rest of the image and waits until the destination has restored the VM (paused).
     *
     * @throws RelocationException when the destination failed (its message is given) or did not answer in time
     */
    MigrationReceipt awaitRestored();

    /**
     * Tells the destination that the source has let go, and waits until it runs the VM (or leaves it paused, as
     * offered).
     *
     * @throws RelocationException when the destination did not confirm; it then holds the VM paused
     */
    void commit();

    /** Ends the migration; before {@link #commit()} it withdraws the VM from the destination. */
    @Override
    void close();
}
