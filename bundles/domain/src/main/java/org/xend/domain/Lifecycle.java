package org.xend.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;

/**
 * The VM lifecycle as one table: for each power state, the operations allowed in it and the states each leads to.
 * {@code VM.allowed_operations} and every power-state check are read from here; guest-initiated exits (shutdown,
 * reboot, crash, suspend from inside the guest) are the backend's to report and are not operations.
 */
final class Lifecycle {

    static final String HALTED = "Halted";
    static final String PAUSED = "Paused";
    static final String RUNNING = "Running";
    static final String SUSPENDED = "Suspended";
    static final String CRASHED = "Crashed";

    /** Power states in the order the first allowed one is named as "expected" in VM_BAD_POWER_STATE. */
    static final List<String> STATES = List.of(HALTED, RUNNING, PAUSED, SUSPENDED, CRASHED);

    private static final Map<String, Map<String, Set<String>>> TABLE = new LinkedHashMap<>();

    static {
        from(HALTED)
                .put("start", Set.of(RUNNING, PAUSED));
        from(HALTED)
                .put("destroy", Set.of());
        Map<String, Set<String>> running = from(RUNNING);
        running.put("pause", Set.of(PAUSED));
        running.put("clean_shutdown", Set.of(HALTED));
        running.put("clean_reboot", Set.of(RUNNING));
        running.put("hard_shutdown", Set.of(HALTED));
        running.put("hard_reboot", Set.of(RUNNING));
        running.put("suspend", Set.of(SUSPENDED));
        running.put("save", Set.of(HALTED, RUNNING));
        running.put("send_sysrq", Set.of(RUNNING));
        running.put("send_trigger", Set.of(RUNNING));
        running.put("changing_VCPUs_live", Set.of(RUNNING));
        running.put("changing_memory_live", Set.of(RUNNING));
        // the VM leaves for another host: a managed one stays defined here, Halted
        running.put("pool_migrate", Set.of(HALTED));
        Map<String, Set<String>> paused = from(PAUSED);
        paused.put("unpause", Set.of(RUNNING));
        paused.put("hard_shutdown", Set.of(HALTED));
        paused.put("hard_reboot", Set.of(RUNNING));
        paused.put("save", Set.of(HALTED, PAUSED));
        paused.put("send_sysrq", Set.of(PAUSED));
        paused.put("send_trigger", Set.of(PAUSED));
        paused.put("changing_VCPUs_live", Set.of(PAUSED));
        paused.put("changing_memory_live", Set.of(PAUSED));
        paused.put("pool_migrate", Set.of(HALTED));
        Map<String, Set<String>> suspended = from(SUSPENDED);
        suspended.put("resume", Set.of(RUNNING, PAUSED));
        suspended.put("hard_shutdown", Set.of(HALTED));
        Map<String, Set<String>> crashed = from(CRASHED);
        crashed.put("hard_shutdown", Set.of(HALTED));
        crashed.put("hard_reboot", Set.of(RUNNING));
    }

    private Lifecycle() {
    }

    private static Map<String, Set<String>> from(String state) {
        return TABLE.computeIfAbsent(state, s -> new LinkedHashMap<>());
    }

    /** The operations allowed in {@code state}, in table order. */
    static List<String> allowed(String state) {
        return new ArrayList<>(TABLE.getOrDefault(state, Map.of()).keySet());
    }

    static boolean allows(String state, String operation) {
        return TABLE.getOrDefault(state, Map.of()).containsKey(operation);
    }

    /** The states {@code operation} may lead to from {@code state}; empty if it is not allowed. */
    static Set<String> results(String state, String operation) {
        return TABLE.getOrDefault(state, Map.of()).getOrDefault(operation, Set.of());
    }

    /** Refuses an operation the table does not allow: {@code VM_BAD_POWER_STATE [vm, expected, actual]}. */
    static void check(String vm, String state, String operation) {
        if (allows(state, operation)) {
            return;
        }
        throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm, expectedFor(operation), state);
    }

    /** The first state in which the operation is allowed. */
    static String expectedFor(String operation) {
        for (String s : STATES) {
            if (allows(s, operation)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no state allows " + operation);
    }

    /** Every operation named in the table. */
    static Set<String> operations() {
        Set<String> ops = new java.util.LinkedHashSet<>();
        TABLE.values().forEach(m -> ops.addAll(m.keySet()));
        return ops;
    }
}
