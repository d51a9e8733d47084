package org.xend.api.spi.xenstore;

import java.util.List;
import java.util.Optional;

/** The operations shared by the store itself and by a transaction. Paths are absolute ({@code /local/domain/0}). */
public interface XenStoreOps {

    Optional<String> read(String path);

    /** Writes a value, creating missing parent nodes with empty values. */
    void write(String path, String value);

    void mkdir(String path);

    /** Removes the node and everything under it; removing a missing node is not an error. */
    void remove(String path);

    /** The names of the node's children, sorted; empty when it has none; ENOENT when it does not exist. */
    List<String> directory(String path);

    default boolean exists(String path) {
        try {
            directory(path);
            return true;
        } catch (XenStoreException e) {
            return false;
        }
    }
}
