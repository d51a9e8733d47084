package org.xend.core.event;

import org.xend.api.XenApiException;

/**
 * {@code event.from} tokens. A token is {@code <generation>,<epoch>}, both zero-padded to 20 digits as XAPI pads
 * its own, so tokens of one run compare as strings in generation order. The epoch names the store's run of
 * generations: a token from an earlier run of the daemon cannot be honoured and gets {@code EVENTS_LOST}, which
 * tells the client to read everything again. The empty token means "from the beginning".
 */
final class EventTokens {

    static final String TOKEN_PARSE_FAILURE = "EVENT_FROM_TOKEN_PARSE_FAILURE";
    static final String EVENTS_LOST = "EVENTS_LOST";
    private static final int MAX_DIGITS = 19;

    private EventTokens() {
    }

    static String format(long generation, long epoch) {
        return String.format("%020d,%020d", generation, epoch);
    }

    /**
     * The generation a token stands for.
     *
     * @param current the store's generation now: a token past it was not issued by this store
     */
    static long parse(String token, long epoch, long current) {
        if (token.isEmpty()) {
            return 0L;
        }
        int comma = token.indexOf(',');
        if (comma < 0) {
            throw new XenApiException(TOKEN_PARSE_FAILURE, token);
        }
        long generation = digits(token, token.substring(0, comma));
        long tokenEpoch = digits(token, token.substring(comma + 1));
        if (tokenEpoch != epoch) {
            throw new XenApiException(EVENTS_LOST);
        }
        if (generation > current) {
            throw new XenApiException(TOKEN_PARSE_FAILURE, token);
        }
        return generation;
    }

    private static long digits(String token, String part) {
        String trimmed = stripLeadingZeros(part);
        if (part.isEmpty() || trimmed.length() > MAX_DIGITS) {
            throw new XenApiException(TOKEN_PARSE_FAILURE, token);
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < '0' || c > '9') {
                throw new XenApiException(TOKEN_PARSE_FAILURE, token);
            }
        }
        try {
            return trimmed.isEmpty() ? 0L : Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new XenApiException(TOKEN_PARSE_FAILURE, token);
        }
    }

    private static String stripLeadingZeros(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }
}
