package org.xend.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.xend.api.domain.DomainView;

/**
 * {@code xm list -l}: a VM's {@code (domain …)} SXP as the SXP format writes it, with the run-time entries Xend
 * added for a live domain — {@code domid} first, then {@code online_vcpus}, {@code cpu_time}, {@code start_time},
 * {@code status} and {@code state} — which a configuration never holds.
 */
final class LongListing {

    private static final String HEAD = "(domain";
    private static final String INDENT = "    ";

    private LongListing() {
    }

    static String of(DomainView view, String configSxp) {
        List<String> leading = new ArrayList<>();
        List<String> trailing = new ArrayList<>();
        if (view.domid() >= 0) {
            leading.add("(domid " + view.domid() + ")");
            trailing.add("(online_vcpus " + view.onlineVcpus() + ")");
            trailing.add("(cpu_time " + seconds(view.cpuTimeNs()) + ")");
            if (!view.config().extras().containsKey("start_time")) {
                trailing.add("(start_time " + String.format(Locale.ROOT, "%.2f",
                        view.startTime().toEpochMilli() / 1000.0) + ")");
            }
        }
        trailing.add("(status " + status(view) + ")");
        if (view.domid() >= 0) {
            trailing.add("(state " + StateFlags.of(view) + ")");
        }
        return insert(configSxp, leading, trailing);
    }

    /** Xend's DOM_STATE number: halted 0, paused 1, running 2, suspended 3, shut down 4, crashed 5. */
    static int status(DomainView view) {
        switch (view.powerState()) {
            case "Paused":
                return 1;
            case "Running":
                return view.shutdownReason().isPresent() ? 4 : 2;
            case "Suspended":
                return 3;
            case "Crashed":
                return 5;
            default:
                return 0;
        }
    }

    private static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e9);
    }

    /** Puts the entries inside the outer list, keeping the pretty printer's layout (one child per line). */
    static String insert(String sxp, List<String> leading, List<String> trailing) {
        String text = sxp.stripTrailing();
        int close = text.lastIndexOf(')');
        if (!text.startsWith(HEAD) || close != text.length() - 1) {
            return sxp;
        }
        boolean multiLine = text.startsWith(HEAD + "\n");
        String separator = multiLine ? "\n" + INDENT : " ";
        StringBuilder result = new StringBuilder(text.length() + 128).append(HEAD);
        for (String entry : leading) {
            result.append(separator).append(entry);
        }
        String body = text.substring(HEAD.length(), close);
        if (multiLine && body.endsWith("\n")) {
            body = body.substring(0, body.length() - 1);
        }
        result.append(body);
        for (String entry : trailing) {
            result.append(separator).append(entry);
        }
        return result.append(multiLine ? "\n)" : ")").append('\n').toString();
    }
}
