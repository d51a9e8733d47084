package org.xend.rpc.xmlrpc.legacy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.xend.api.domain.DomainView;
import org.xend.api.spi.hypervisor.DomainInfo;

/**
 * A domain as {@code xend.domain} and {@code xm list -l} show it ({@code XendConfig.to_sxp} with
 * {@code legacy_only}): {@code (domain (domid) (uuid) (vcpus) (name) (on_*) (maxmem) (memory) <extras>
 * (start_time) (cpu_time) (online_vcpus) (image …) (status) (state) (device …)…)}.
 * <p>
 * The configuration part comes from the {@code sxp} format's text of the domain's configuration, which is the
 * managed {@code config.sxp} form: its Xen API keys are dropped, which leaves the legacy keys, the extras, the image
 * and the devices. The rest comes from the domain's view and the hypervisor. Numbers are native, as Xend's were:
 * ints for counts and MiB, floats for seconds.
 */
final class DomainSxp {

    /** Xend's power states by their legacy number ({@code DOM_STATE_*}); 4, "shutting down", reads as halted. */
    static final List<String> STATE_NAMES = List.of("halted", "paused", "running", "suspended", "halted", "unknown");

    static final int HALTED = 0;
    static final int PAUSED = 1;
    static final int RUNNING = 2;
    static final int SUSPENDED = 3;
    static final int UNKNOWN = 5;

    /** Legacy keys Xend typed as int ({@code LEGACY_CFG_TYPES}). */
    private static final Set<String> INT_KEYS = Set.of(
            "domid", "vcpus", "memory", "maxmem", "shadow_memory", "cpu_cap", "cpu_weight", "localtime",
            "online_vcpus");
    private static final Set<String> FLOAT_KEYS = Set.of("start_time", "cpu_time");

    /** What the running domain tells; never taken from the configuration. */
    private static final Set<String> RUNTIME_KEYS = Set.of(
            "domid", "status", "state", "store_mfn", "console_mfn", "start_time", "cpu_time", "online_vcpus");

    /** Xend left {@code cpus} out of this form, and stripped {@code vcpu_avail} because it is a long. */
    private static final Set<String> LEFT_OUT = Set.of("cpus", "vcpu_avail");

    private static final String FLAGS = "rbpscd";

    private DomainSxp() {
    }

    /**
     * @param configText the {@code sxp} format's text of {@code view.config()}
     * @param info       the hypervisor's view of the domain, when it has one
     * @param devices    whether to include the {@code (device …)} entries ({@code full})
     */
    static List<Object> build(DomainView view, String configText, Optional<DomainInfo> info, boolean devices) {
        Object parsed = SxpText.parse(configText);
        if (!(parsed instanceof List<?> config) || config.isEmpty()) {
            throw new IllegalArgumentException("the sxp format did not write a domain configuration");
        }
        Set<String> apiKeys = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        apiKeys.addAll(view.config().fields().keySet());

        List<Object> head = new ArrayList<>();
        List<Object> image = null;
        List<Object> deviceEntries = new ArrayList<>();
        boolean uuidWritten = false;
        for (Object element : config.subList(1, config.size())) {
            String key = nameOf(element);
            if (key == null) {
                continue;
            }
            if ("uuid".equals(key)) {
                // written once among the Xen API keys and again as a legacy key: keep one
                if (!uuidWritten) {
                    head.add(element);
                    uuidWritten = true;
                }
            } else if ("image".equals(key)) {
                image = withoutLeftOut((List<?>) element);
            } else if ("device".equals(key)) {
                deviceEntries.add(withoutLeftOut((List<?>) element));
            } else if (!apiKeys.contains(key) && !RUNTIME_KEYS.contains(key) && !LEFT_OUT.contains(key)) {
                head.add(typed((List<?>) element));
            }
        }

        List<Object> sxp = new ArrayList<>();
        sxp.add("domain");
        boolean hasDomain = view.domid() >= 0;
        if (hasDomain) {
            sxp.add(List.of("domid", view.domid()));
        }
        if (!uuidWritten) {
            sxp.add(List.of("uuid", view.ref()));
        }
        sxp.addAll(head);
        if (hasDomain) {
            if (!Instant.EPOCH.equals(view.startTime())) {
                sxp.add(List.of("start_time", seconds(view.startTime())));
            }
            sxp.add(List.of("cpu_time", view.cpuTimeNs() / 1e9));
            sxp.add(List.of("online_vcpus", view.onlineVcpus()));
        }
        if (image != null) {
            sxp.add(image);
        }
        sxp.add(List.of("status", status(view.powerState())));
        if (hasDomain && info.isPresent()) {
            sxp.add(List.of("state", stateFlags(info.get())));
        }
        if (devices) {
            sxp.addAll(deviceEntries);
        }
        return sxp;
    }

    /** Xend's legacy state number of a Xen API power state; a crashed domain that is kept reads as halted. */
    static int status(String powerState) {
        return switch (powerState) {
            case "Halted", "Crashed" -> HALTED;
            case "Paused" -> PAUSED;
            case "Running" -> RUNNING;
            case "Suspended" -> SUSPENDED;
            default -> UNKNOWN;
        };
    }

    /** xm's {@code rbpscd}: running, blocked, paused, shutdown, crashed, dying; {@code -} for a flag that is clear. */
    static String stateFlags(DomainInfo info) {
        boolean[] set = {info.running(), info.blocked(), info.paused(), info.shutdown(), info.crashed(),
            info.dying()};
        StringBuilder flags = new StringBuilder(FLAGS.length());
        for (int i = 0; i < set.length; i++) {
            flags.append(set[i] ? FLAGS.charAt(i) : '-');
        }
        return flags.toString();
    }

    static String stateName(int status) {
        return STATE_NAMES.get(status);
    }

    static String nameOf(Object element) {
        if (element instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String name) {
            return name;
        }
        return null;
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** {@code (key value)} with the value as Xend typed it; anything that does not parse stays a string. */
    private static Object typed(List<?> element) {
        if (element.size() != 2 || !(element.get(1) instanceof String value)) {
            return element;
        }
        String key = (String) element.get(0);
        try {
            if (INT_KEYS.contains(key)) {
                return List.of(key, Integer.parseInt(value.trim()));
            }
            if (FLOAT_KEYS.contains(key)) {
                return List.of(key, Double.parseDouble(value.trim()));
            }
        } catch (NumberFormatException notANumber) {
            return element;
        }
        return element;
    }

    /** Xend's {@code fixup_sxpr}: drops every {@code (vcpu_avail …)} pair, at any depth. */
    private static List<Object> withoutLeftOut(List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (item instanceof List<?> sub) {
                if (!(sub.size() == 2 && "vcpu_avail".equals(sub.get(0)))) {
                    out.add(withoutLeftOut(sub));
                }
            } else {
                out.add(item);
            }
        }
        return out;
    }
}
