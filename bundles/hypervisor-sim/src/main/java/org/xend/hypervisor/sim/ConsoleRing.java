package org.xend.hypervisor.sim;

/**
 * Xen's console ring: what the hypervisor prints, each line prefixed {@code (XEN) }, kept in a fixed-size buffer
 * whose oldest characters are overwritten first. Thread-safe.
 */
final class ConsoleRing {

    /** Xen 3.1's CONRING_SIZE. */
    static final int DEFAULT_SIZE = 16384;
    static final String PREFIX = "(XEN) ";

    private final int size;
    private final StringBuilder text = new StringBuilder();

    ConsoleRing(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a console ring needs room, got " + size);
        }
        this.size = size;
    }

    /** Prints one line as Xen's printk does, with its prefix and a newline. */
    synchronized void println(String line) {
        text.append(PREFIX).append(line).append('\n');
        int excess = text.length() - size;
        if (excess > 0) {
            text.delete(0, excess);
        }
    }

    /** Everything in the ring, oldest first; with {@code clear} the ring is empty afterwards. */
    synchronized String read(boolean clear) {
        String contents = text.toString();
        if (clear) {
            text.setLength(0);
        }
        return contents;
    }
}
