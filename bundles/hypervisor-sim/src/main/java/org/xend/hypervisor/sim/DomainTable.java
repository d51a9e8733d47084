package org.xend.hypervisor.sim;

import java.util.Collection;

/**
 * Where the simulated hypervisor records its domain table, so that it outlives the daemon as Xen does. Changes
 * are recorded in order (the caller holds the domain's entry while it records) and made durable later, in groups:
 * every recording returns a ticket, and {@link #awaitDurable} returns once the change is on disk.
 */
interface DomainTable {

    /** No domain id allocation position in a change. */
    int UNCHANGED = -1;

    /** Records a domain's new state; {@code lastDomid} is the new allocation position or {@link #UNCHANGED}. */
    long put(DomainRecord domain, int lastDomid);

    long remove(int domid);

    /** Records where domain id allocation continues. */
    long position(int lastDomid);

    /** Returns once the change of {@code ticket} is durable; a HypervisorException (EIO) when it cannot be. */
    void awaitDurable(long ticket);

    /** Writes the final state (CPU times accrued to the end) and stops; later changes are not recorded. */
    void close(Collection<DomainRecord> domains, int lastDomid);

    /** A table that keeps nothing: the simulator without a state directory. */
    static DomainTable inMemory() {
        return new DomainTable() {
            @Override
            public long put(DomainRecord domain, int lastDomid) {
                return 0;
            }

            @Override
            public long remove(int domid) {
                return 0;
            }

            @Override
            public long position(int lastDomid) {
                return 0;
            }

            @Override
            public void awaitDurable(long ticket) {
                // nothing is ever written
            }

            @Override
            public void close(Collection<DomainRecord> domains, int lastDomid) {
                // nothing to write
            }
        };
    }
}
