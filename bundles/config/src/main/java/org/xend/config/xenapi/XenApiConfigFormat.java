package org.xend.config.xenapi;

import java.util.Map;
import java.util.function.Function;

import org.osgi.service.component.annotations.Component;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;

/**
 * The {@code xenapi} configuration format: a Xen API VM struct, as {@code VM.create} receives it, with its
 * devices as {@code VBD} and {@code VIF} (and {@code VTPM}, {@code console}) structs. The mapping is
 * {@link VmRecords}' and {@link DeviceRecords}'; memory is in bytes, as the API has it.
 *
 * <p>The struct itself is {@link #fromRecord}/{@link #toRecord} (Java maps as an XML-RPC library gives them);
 * the text form of {@link #read}/{@link #write} is the struct as XML-RPC ({@code <struct>…</struct>}, or a
 * {@code <value>} holding one), 64-bit ints written as strings as the API sends them.
 */
@Component(service = ConfigFormat.class, property = ConfigFormat.PROPERTY_FORMAT + "=" + XenApiConfigFormat.FORMAT)
public class XenApiConfigFormat implements ConfigFormat {

    public static final String FORMAT = "xenapi";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public VmConfig read(String text) throws ConfigException {
        return fromRecord(XmlRpcValues.parseStruct(text));
    }

    /**
     * The struct as XML-RPC text.
     *
     * @throws IllegalArgumentException if a field has the wrong Java type, or a string holds a character XML
     *         cannot carry (a control character other than tab, line feed and carriage return)
     */
    @Override
    public String write(VmConfig config) {
        return XmlRpcValues.print(toRecord(config));
    }

    /** A VM struct as a configuration; a VIF's {@code network} is taken as the bridge name. */
    public VmConfig fromRecord(Map<String, ?> record) throws ConfigException {
        return VmRecords.fromRecord(record, Function.identity());
    }

    /** A VM struct as a configuration; a VIF's {@code network} (a ref) gives its bridge through the function. */
    public VmConfig fromRecord(Map<String, ?> record, Function<String, String> networkToBridge)
            throws ConfigException {
        return VmRecords.fromRecord(record, networkToBridge);
    }

    /** The configuration as a VM struct: fields with their Java types (Long, Boolean, String, Map). */
    public Map<String, Object> toRecord(VmConfig config) {
        return VmRecords.toRecord(config);
    }

    /** A {@code VBD.create} struct as a device (vbd, or tap for a {@code tap:} image). */
    public DeviceConfig vbdFromRecord(Map<String, ?> record) throws ConfigException {
        return DeviceRecords.vbdFromRecord(record);
    }

    /** A disk as a VBD struct, or null if the device cannot be one without loss. */
    public Map<String, Object> vbdToRecord(DeviceConfig device) {
        return DeviceRecords.vbdToRecord(device);
    }

    /** A {@code VIF.create} struct as a vif; {@code network} (a ref) gives its bridge through the function. */
    public DeviceConfig vifFromRecord(Map<String, ?> record, Function<String, String> networkToBridge)
            throws ConfigException {
        return DeviceRecords.vifFromRecord(record, networkToBridge);
    }

    /** A vif as a VIF struct ({@code network} holds the bridge name), or null if it cannot be one without loss. */
    public Map<String, Object> vifToRecord(DeviceConfig device) {
        return DeviceRecords.vifToRecord(device);
    }

    public DeviceConfig vtpmFromRecord(Map<String, ?> record) throws ConfigException {
        return DeviceRecords.vtpmFromRecord(record);
    }

    public DeviceConfig consoleFromRecord(Map<String, ?> record) throws ConfigException {
        return DeviceRecords.consoleFromRecord(record);
    }
}
