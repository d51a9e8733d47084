package org.xend.rpc.xmlrpc;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code allowedHosts} filter: space-separated regular expressions, each matched from the start of the client's
 * IP address (like Python's {@code re.match}, which Xend used). Loopback clients are also tried as {@code localhost},
 * so Xend's customary {@code ^localhost$} keeps working without a reverse DNS lookup on the event loop.
 */
public final class HostAllowList {

    private static final HostAllowList ALLOW_ALL = new HostAllowList(List.of(), "");

    private final List<Pattern> patterns;
    private final String source;

    private HostAllowList(List<Pattern> patterns, String source) {
        this.patterns = patterns;
        this.source = source;
    }

    public static HostAllowList allowAll() {
        return ALLOW_ALL;
    }

    /** @throws IllegalArgumentException naming the expression that does not compile */
    public static HostAllowList parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return ALLOW_ALL;
        }
        List<Pattern> compiled = new ArrayList<>();
        for (String expression : spec.trim().split("\\s+")) {
            try {
                compiled.add(Pattern.compile(expression));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("allowedHosts: '" + expression + "' is not a valid regular expression: "
                        + e.getDescription(), e);
            }
        }
        return new HostAllowList(List.copyOf(compiled), spec.trim());
    }

    public boolean allowsAll() {
        return patterns.isEmpty();
    }

    public boolean allows(InetAddress client) {
        if (patterns.isEmpty()) {
            return true;
        }
        String address = client.getHostAddress();
        boolean loopback = client.isLoopbackAddress();
        for (Pattern pattern : patterns) {
            if (pattern.matcher(address).lookingAt() || loopback && pattern.matcher("localhost").lookingAt()) {
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
