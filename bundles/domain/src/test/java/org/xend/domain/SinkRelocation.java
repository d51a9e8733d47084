package org.xend.domain;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicLong;

import org.xend.api.spi.relocation.MigrationOffer;
import org.xend.api.spi.relocation.MigrationReceipt;
import org.xend.api.spi.relocation.OutgoingMigration;
import org.xend.api.spi.relocation.RelocationClient;

/**
 * A destination that takes every VM and keeps only the count of its image's bytes: enough for the lifecycle of the
 * source. The relocation bundle's tests migrate between two real domain layers.
 */
final class SinkRelocation implements RelocationClient {

    final AtomicLong received = new AtomicLong();

    @Override
    public OutgoingMigration open(String host, int port, MigrationOffer offer) {
        return new OutgoingMigration() {
            private final WritableByteChannel sink = new WritableByteChannel() {
                @Override
                public int write(ByteBuffer src) {
                    int n = src.remaining();
                    src.position(src.limit());
                    received.addAndGet(n);
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };

            @Override
            public WritableByteChannel image() {
                return sink;
            }

            @Override
            public MigrationReceipt awaitRestored() {
                return new MigrationReceipt(offer.uuid(), 1);
            }

            @Override
            public void commit() {
            }

            @Override
            public void close() {
            }
        };
    }
}
