package org.xend.api.store;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Persists the objects of one class (service property {@code xenapi.class}). The store calls it before a change
 * becomes visible; if it throws, the change is abandoned, so nothing is visible that is not on disk.
 */
@ConsumerType
public interface ClassPersister {
    String PROPERTY_CLASS = "xenapi.class";

    /** Write the new snapshot ({@code before} is null for a new object). */
    void write(ApiObject before, ApiObject after) throws Exception;

    /** Remove what was persisted for this object. */
    void delete(ApiObject before) throws Exception;
}
