package org.xend.relocation;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Xend's {@code xend-relocation-hosts-allow}: space-separated regular expressions, each matched from the start (as
 * Python's {@code re.match}) against the peer's IP address and against its host name; empty allows every peer. The
 * host name is looked up (reverse DNS, on the connection's own thread) only when no expression matched the address;
 * a loopback peer is also tried as {@code localhost}.
 */
final class HostsAllow {

    private final List<Pattern> patterns;
    private final String source;

    private HostsAllow(List<Pattern> patterns, String source) {
        this.patterns = patterns;
        this.source = source;
    }

    /** @throws IllegalArgumentException naming the expression that does not compile */
    static HostsAllow parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new HostsAllow(List.of(), "");
        }
        List<Pattern> compiled = new ArrayList<>();
        for (String expression : spec.trim().split("\\s+")) {
            try {
                compiled.add(Pattern.compile(expression));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("hostsAllow: '" + expression + "' is not a valid regular "
                        + "expression: " + e.getDescription(), e);
            }
        }
        return new HostsAllow(List.copyOf(compiled), spec.trim());
    }

    boolean allows(InetAddress peer) {
        if (patterns.isEmpty() || matches(peer.getHostAddress())
                || peer.isLoopbackAddress() && matches("localhost")) {
            return true;
        }
        return matches(peer.getCanonicalHostName());
    }

    private boolean matches(String name) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return patterns.isEmpty() ? "(all hosts)" : source;
    }
}
