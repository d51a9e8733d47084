package org.xend.api.store;

import java.util.UUID;
import java.util.regex.Pattern;

/** Refs are the objects' UUIDs, as in Xend; the null ref is XAPI's {@code OpaqueRef:NULL}. */
public final class Refs {
    public static final String NULL = "OpaqueRef:NULL";
    /** Domain-0's VM ref, fixed by Xend. */
    public static final String DOMAIN_0 = "00000000-0000-0000-0000-000000000000";

    private static final Pattern UUID_FORM =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private Refs() {
    }

    public static String newRef() {
        return UUID.randomUUID().toString();
    }

    /** True for the two spellings of the null ref that clients send: {@code OpaqueRef:NULL} and {@code ""}. */
    public static boolean isNull(String ref) {
        return ref == null || ref.isEmpty() || NULL.equals(ref);
    }

    /** True for a lower-case 8-4-4-4-12 UUID. */
    public static boolean isUuid(String s) {
        return s != null && UUID_FORM.matcher(s).matches();
    }
}
