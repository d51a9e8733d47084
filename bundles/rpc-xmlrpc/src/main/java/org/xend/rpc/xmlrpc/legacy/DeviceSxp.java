package org.xend.rpc.xmlrpc.legacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xend.api.domain.DeviceView;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/**
 * Devices in the legacy API's SXP form: {@code (vbd (uname file:/img) (dev xvda) (mode w))} as nested arrays in,
 * and the shapes of {@code getDeviceSxprs} out.
 */
final class DeviceSxp {

    private DeviceSxp() {
    }

    /** A device SXP from a client: the class, then {@code (key value)} entries; {@code uuid} is the device's. */
    static DeviceConfig read(Object nested) throws XmlRpcFault {
        Object parsed;
        try {
            parsed = SxpText.parse(SxpText.print(nested));
        } catch (IllegalArgumentException e) {
            throw LegacyFaults.error("Invalid device configuration: " + e.getMessage());
        }
        if (!(parsed instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof String cls)
                || cls.isEmpty()) {
            throw LegacyFaults.error("Invalid device configuration: expected (<class> (key value) ...), got "
                    + SxpText.print(nested));
        }
        Map<String, String> options = new LinkedHashMap<>();
        String uuid = "";
        for (Object entry : list.subList(1, list.size())) {
            if (!(entry instanceof List<?> kv) || kv.isEmpty() || !(kv.get(0) instanceof String key)) {
                throw LegacyFaults.error("Invalid device configuration: " + SxpText.print(entry)
                        + " is not a (key value) entry");
            }
            String value = kv.size() == 1 ? ""
                    : kv.size() == 2 && kv.get(1) instanceof String s ? s
                    : SxpText.print(kv.subList(1, kv.size()));
            if ("uuid".equals(key)) {
                uuid = value;
            } else {
                options.put(key, value);
            }
        }
        return new DeviceConfig(cls, uuid, options);
    }

    /** {@code [class, [key, value]…]}, the uuid first, as Xend's device SXPs. */
    static List<Object> write(DeviceConfig device) {
        List<Object> out = new ArrayList<>();
        out.add(device.deviceClass());
        if (device.uuid() != null && !device.uuid().isEmpty()) {
            out.add(List.of("uuid", device.uuid()));
        }
        device.options().forEach((k, v) -> out.add(List.of(k, v)));
        return out;
    }

    /**
     * getDeviceSxprs: with a domain {@code [[devid, [[key, value]…]]…]} from the frontend entries (a nested node
     * as a nested list), without one {@code [[n, devsxp]…]}.
     */
    static List<Object> sxprs(List<DeviceView> devices, boolean running) {
        List<Object> out = new ArrayList<>(devices.size());
        for (DeviceView d : devices) {
            out.add(List.of(d.id(), running ? nest(d.frontend()) : write(d.config())));
        }
        return out;
    }

    /** {@code a -> 1, b/c -> 2} as {@code [[a, 1], [b, [[c, 2]]]]}. */
    private static List<Object> nest(Map<String, String> flat) {
        Map<String, Object> tree = new LinkedHashMap<>();
        flat.forEach((key, value) -> {
            int slash = key.indexOf('/');
            if (slash < 0) {
                tree.putIfAbsent(key, value);
            } else {
                Object sub = tree.get(key.substring(0, slash));
                @SuppressWarnings("unchecked")
                Map<String, String> children = sub instanceof Map<?, ?> m ? (Map<String, String>) m
                        : new LinkedHashMap<>();
                children.put(key.substring(slash + 1), value);
                tree.put(key.substring(0, slash), children);
            }
        });
        List<Object> out = new ArrayList<>();
        tree.forEach((key, value) -> {
            @SuppressWarnings("unchecked")
            Object v = value instanceof Map<?, ?> m ? nest((Map<String, String>) m) : value;
            out.add(List.of(key, v));
        });
        return out;
    }
}
