package org.xend.api.store;

/** Told of every committed change, after it is visible. {@code before} is null on add, {@code after} on delete. */
@FunctionalInterface
public interface StoreListener {
    void changed(ApiObject before, ApiObject after);
}
