package org.xend.domain;

import java.util.LinkedHashMap;
import java.util.Map;

import org.xend.api.store.ApiObject;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.MessageImpl;

/**
 * The behaviour of VBD and VIF beyond their generated calls: {@code plug} and {@code unplug} hot-plug the device
 * into its VM's running domain through the device controllers, as XAPI's do, and {@code runtime_properties} shows
 * an attached device's frontend entries, as Xend's did.
 */
final class DeviceClasses {

    private final DomainDevices devices;

    DeviceClasses(DomainDevices devices) {
        this.devices = devices;
    }

    ClassImplementation vbd() {
        return of(Devices.VBD);
    }

    ClassImplementation vif() {
        return of(Devices.VIF);
    }

    private ClassImplementation of(String className) {
        return new ClassImplementation() {
            @Override
            public String className() {
                return className;
            }

            @Override
            public Map<String, MessageImpl> messages() {
                Map<String, MessageImpl> m = new LinkedHashMap<>();
                m.put("plug", call -> {
                    devices.plug(className, call.self());
                    return null;
                });
                m.put("unplug", call -> {
                    devices.unplug(className, call.self());
                    return null;
                });
                return m;
            }

            @Override
            public ApiObject live(ApiObject stored) {
                if (!stored.bool("currently_attached")) {
                    return stored;
                }
                Map<String, Object> f = new LinkedHashMap<>(stored.fields());
                f.put("runtime_properties", devices.runtimeProperties(stored));
                return new ApiObject(stored.className(), stored.ref(), stored.generation(), f);
            }
        };
    }
}
