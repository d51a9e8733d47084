package org.xend.config.python;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python list of a configuration file. It is mutable and shared by reference as in Python, because
 * {@code +=} extends a list in place and every name bound to it sees the change
 * ({@code d = disk; d += ['…']} adds a disk).
 */
public final class PyList {

    private final List<Object> items;

    PyList(List<Object> items) {
        this.items = new ArrayList<>(items);
    }

    /** The items, read-only. */
    public List<Object> items() {
        return Collections.unmodifiableList(items);
    }

    public int size() {
        return items.size();
    }

    void extend(List<Object> more) {
        items.addAll(more);
    }

    @Override
    public String toString() {
        return PyValues.repr(this);
    }
}
