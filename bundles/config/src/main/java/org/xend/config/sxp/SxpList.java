package org.xend.config.sxp;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A checked, immutable SXP list: its items are Strings and SxpLists only. Made by {@link Sxp}, which shares it as it
 * is wherever a copy would be taken, so building an SXP tree bottom-up copies each list once, not once per level.
 */
final class SxpList extends AbstractList<Object> implements RandomAccess {

    private final Object[] items;
    /** How many levels of lists this one holds, itself included (a list of atoms: 1). */
    private final int height;

    /** Takes {@code items}, already checked and not shared with anyone. */
    SxpList(Object[] items, int height) {
        this.items = items;
        this.height = height;
    }

    int height() {
        return height;
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
