package org.xend.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The XML-RPC {@code dateTime.iso8601} text forms clients send: {@code 20070508T10:38:06} with an optional Z. */
final class DateTimes {
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss");

    private DateTimes() {
    }

    static Optional<Instant> parse(String text) {
        String s = text.trim();
        if (s.endsWith("Z")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Optional.of(LocalDateTime.parse(s, COMPACT).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(text.trim()));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
