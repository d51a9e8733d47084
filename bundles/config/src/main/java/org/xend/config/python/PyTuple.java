package org.xend.config.python;

import java.util.List;

/** A Python tuple of a configuration file (immutable; its items may be lists, which are not). */
public record PyTuple(List<Object> items) {
    public PyTuple {
        items = List.copyOf(items);
    }

    @Override
    public String toString() {
        return PyValues.repr(this);
    }
}
