package org.xend.config.sxp;

import static org.xend.config.sxp.DomainSxpKeys.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;

/**
 * Turns a {@link VmConfig} into the {@code (domain …)} SXP Xend 3.1 saves for a managed domain
 * ({@code XendConfig.to_sxp(legacy_only=False)}): the Xen API keys that are set, then the legacy keys Xend's
 * parser reads (uuid, vcpus, name, on_*, bootloader, maxmem/memory in MiB), the extras, the image and one
 * {@code (device …)} per device. Only values that are set are written, so reading the result back gives the
 * same configuration: every legacy key restates a Xen API key that is also written, and the reader lets the
 * Xen API key win.
 */
public final class DomainSxpWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DomainSxpWriter.class);

    private final Map<String, Object> fields;
    private final List<Object> out = new ArrayList<>();

    private DomainSxpWriter(VmConfig config) {
        this.fields = config.fields();
    }

    /**
     * The domain SXP of {@code config}.
     *
     * @throws IllegalArgumentException if a field holds a value of the wrong Java type
     */
    public static List<Object> toSxp(VmConfig config) {
        DomainSxpWriter writer = new DomainSxpWriter(config);
        writer.out.add(DOMAIN);
        writer.writeApiFields();
        writer.writeLegacyKeys();
        writer.writeExtras(config.extras());
        writer.writeImage();
        for (DeviceConfig device : config.devices()) {
            writer.writeDevice(device);
        }
        return Sxp.listOf(writer.out);
    }

    private void writeApiFields() {
        for (String key : fields.keySet()) {
            if (VmField.byApiName(key) == null) {
                LOG.debug("Not writing field {}: not part of a stored VM configuration", key);
            }
        }
        for (VmField field : VmField.values()) {
            Object value = fields.get(field.apiName());
            if (value != null) {
                out.add(Sxp.list(field.sxpName(), encode(field, value)));
            }
        }
    }

    private void writeLegacyKeys() {
        legacy(UUID, VmField.UUID);
        legacy(VCPUS, VmField.VCPUS_MAX);
        legacy(NAME, VmField.NAME_LABEL);
        writeLegacyAction(ON_POWEROFF, VmField.ACTIONS_AFTER_SHUTDOWN);
        writeLegacyAction(ON_REBOOT, VmField.ACTIONS_AFTER_REBOOT);
        writeLegacyAction(ON_CRASH, VmField.ACTIONS_AFTER_CRASH);
        legacy(BOOTLOADER, VmField.PV_BOOTLOADER);
        legacy(BOOTLOADER_ARGS, VmField.PV_BOOTLOADER_ARGS);
        Object staticMax = fields.get(VmField.MEMORY_STATIC_MAX.apiName());
        if (staticMax != null) {
            out.add(Sxp.list(MAXMEM, Long.toString(longValue(VmField.MEMORY_STATIC_MAX, staticMax) / MIB)));
        }
        Object dynamicMax = fields.get(VmField.MEMORY_DYNAMIC_MAX.apiName());
        if (dynamicMax != null) {
            out.add(Sxp.list(MEMORY, Long.toString(longValue(VmField.MEMORY_DYNAMIC_MAX, dynamicMax) / MIB)));
        }
    }

    private void legacy(String key, VmField field) {
        Object value = fields.get(field.apiName());
        if (value != null) {
            out.add(Sxp.list(key, encode(field, value)));
        }
    }

    private void writeLegacyAction(String key, VmField field) {
        Object value = fields.get(field.apiName());
        if (value != null) {
            out.add(Sxp.list(key, legacyAction((String) encode(field, value))));
        }
    }

    private void writeExtras(Map<String, String> extras) {
        Set<String> keys = new LinkedHashSet<>();
        for (String key : EXTRAS_ORDER) {
            if (extras.containsKey(key)) {
                keys.add(key);
            }
        }
        keys.addAll(extras.keySet());
        for (String key : keys) {
            String value = extras.get(key);
            if (value == null) {
                continue;
            }
            if (RESERVED_KEYS.contains(key)) {
                LOG.warn("Not writing extra {}={}: the key has a meaning of its own in a domain SXP", key, value);
                continue;
            }
            writeEntry(out, key, value);
        }
    }

    /**
     * Xend's image: {@code (image (linux (kernel) (ramdisk) (args)))}, or for an HVM guest (non-empty
     * HVM_boot_policy) {@code (image (hvm (kernel) (boot order) <platform keys>))}. A platform
     * {@code image_type} names any other image type.
     */
    private void writeImage() {
        String policy = stringField(VmField.HVM_BOOT_POLICY);
        boolean hvm = policy != null && !policy.isEmpty();
        Map<?, ?> platform = mapField(VmField.PLATFORM);
        Object storedType = platform.get(IMAGE_TYPE);
        if (storedType != null && (storedType.toString().isEmpty() || IMAGE_HVM.equals(storedType)
                || IMAGE_LINUX.equals(storedType))) {
            // Only another image type is kept in platform; hvm and linux follow HVM_boot_policy.
            storedType = null;
        }
        String kernel = stringField(VmField.PV_KERNEL);
        String ramdisk = stringField(VmField.PV_RAMDISK);
        String args = stringField(VmField.PV_ARGS);
        if (!hvm && storedType == null && kernel == null && ramdisk == null && args == null) {
            return;
        }
        List<Object> image = new ArrayList<>();
        image.add(storedType != null ? storedType.toString() : hvm ? IMAGE_HVM : IMAGE_LINUX);
        if (kernel != null) {
            image.add(Sxp.list(KERNEL, kernel));
        }
        if (ramdisk != null && !ramdisk.isEmpty()) {
            image.add(Sxp.list(RAMDISK, ramdisk));
        }
        if (args != null && !args.isEmpty()) {
            image.add(Sxp.list(ARGS, args));
        }
        if (hvm) {
            Object order = mapField(VmField.HVM_BOOT_PARAMS).get(HVM_ORDER);
            if (order != null) {
                image.add(Sxp.list(BOOT, order.toString()));
            }
            for (String key : PLATFORM_KEYS) {
                Object value = platform.get(key);
                // The boot order comes from HVM_boot_params; a platform "boot" survives in the platform key.
                if (value != null && !BOOT.equals(key)) {
                    image.add(Sxp.list(key, value.toString()));
                }
            }
        }
        out.add(Sxp.list(IMAGE, Sxp.listOf(image)));
    }

    private void writeDevice(DeviceConfig device) {
        List<Object> entry = new ArrayList<>();
        entry.add(device.deviceClass());
        for (Map.Entry<String, String> option : device.options().entrySet()) {
            if (UUID.equals(option.getKey())) {
                LOG.debug("Device option uuid of {} not written: the device uuid is {}", device.deviceClass(),
                        device.uuid());
            } else if (option.getValue() != null) {
                writeEntry(entry, option.getKey(), option.getValue());
            }
        }
        if (device.uuid() != null) {
            entry.add(Sxp.list(UUID, device.uuid()));
        }
        out.add(Sxp.list(DEVICE, Sxp.listOf(entry)));
    }

    /** {@code (key value)}, or the lists themselves when the value is the printed form of lists named key. */
    private static void writeEntry(List<Object> target, String key, String value) {
        target.addAll(entries(key, value));
    }

    /**
     * The SXP entries for one flat option or extra: {@code ((key value))}, or, when the value is the printed
     * form of lists named {@code key} (as {@link DomainSxpReader} keeps a nested or repeated value), those lists.
     */
    public static List<Object> entries(String key, String value) {
        List<Object> lists = structuredValue(key, value);
        return lists != null ? lists : List.of(Sxp.list(key, value));
    }

    // ---- values ---------------------------------------------------------------------------------------------

    /** Strings as they are, integers in decimal, booleans True/False, maps as lists of (key value) pairs. */
    private static Object encode(VmField field, Object value) {
        return switch (field.kind()) {
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw wrongType(field, value, "a String");
                }
                yield s;
            }
            case LONG -> Long.toString(longValue(field, value));
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw wrongType(field, value, "a Boolean");
                }
                yield b ? "True" : "False";
            }
            case MAP -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw wrongType(field, value, "a Map");
                }
                List<Object> pairs = new ArrayList<>();
                for (Map.Entry<?, ?> pair : map.entrySet()) {
                    if (pair.getKey() != null && pair.getValue() != null) {
                        pairs.add(Sxp.list(pair.getKey().toString(), pair.getValue().toString()));
                    }
                }
                yield Sxp.listOf(pairs);
            }
        };
    }

    private static long longValue(VmField field, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw wrongType(field, value, "an integer (Long)");
    }

    private String stringField(VmField field) {
        Object value = fields.get(field.apiName());
        return value == null ? null : (String) encode(field, value);
    }

    private Map<?, ?> mapField(VmField field) {
        Object value = fields.get(field.apiName());
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrongType(field, value, "a Map");
        }
        return map;
    }

    private static IllegalArgumentException wrongType(VmField field, Object value, String expected) {
        return new IllegalArgumentException("VM field " + field.apiName() + " must be " + expected + ", not "
                + value.getClass().getSimpleName() + " " + value);
    }
}
