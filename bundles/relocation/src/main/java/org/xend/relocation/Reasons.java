package org.xend.relocation;

import java.util.List;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;

/** A domain-layer error as the one line the other host reads. */
final class Reasons {

    private Reasons() {
    }

    static String describe(XenApiException e) {
        List<String> p = e.params();
        return switch (e.code()) {
            case ErrorCodes.HOST_NOT_ENOUGH_FREE_MEMORY -> p.size() >= 2
                    ? "not enough free memory: " + p.get(0) + " bytes needed, " + p.get(1) + " available"
                    : "not enough free memory";
            case ErrorCodes.VALUE_NOT_SUPPORTED -> p.size() >= 3
                    ? p.get(2) + " (" + p.get(0) + " " + p.get(1) + ")"
                    : String.join(" ", p);
            case ErrorCodes.INTERNAL_ERROR -> p.isEmpty() ? "internal error" : p.get(0);
            default -> e.code() + (p.isEmpty() ? "" : " " + String.join(" ", p));
        };
    }
}
