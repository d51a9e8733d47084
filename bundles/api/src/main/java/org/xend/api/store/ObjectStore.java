package org.xend.api.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.osgi.annotation.versioning.ProviderType;
import org.xend.api.datamodel.Datamodel;

/**
 * The single truth at run time: every Xen API object, as immutable snapshots. Every change bumps a global
 * generation counter, from which events are read.
 */
@ProviderType
public interface ObjectStore {

    Datamodel datamodel();

    /** The generation of the last committed change. */
    long generation();

    Optional<ApiObject> get(String className, String ref);

    /** The object, or {@code HANDLE_INVALID [class, ref]}. */
    ApiObject require(String className, String ref);

    List<ApiObject> all(String className);

    /**
     * Adds an object. Fields not given get their declared defaults; {@code uuid} is set to {@code ref}.
     * Values are checked against the declared types.
     */
    ApiObject create(String className, String ref, Map<String, Object> fields);

    /**
     * Atomically replaces an object's snapshot. {@code change} gets a mutable copy of the fields and returns the
     * fields to store; it runs under the object's lock, so it sees the latest snapshot.
     * Throws {@code HANDLE_INVALID} if the object does not exist.
     */
    ApiObject update(String className, String ref, UnaryOperator<Map<String, Object>> change);

    /** Removes an object; false if it did not exist. */
    boolean remove(String className, String ref);

    void addListener(StoreListener listener);

    void removeListener(StoreListener listener);
}
