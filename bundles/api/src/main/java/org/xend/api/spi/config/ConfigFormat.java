package org.xend.api.spi.config;

import org.osgi.annotation.versioning.ConsumerType;

/** Reads and writes VM configurations in one format (service property {@code format}: sxp, python, xenapi). */
@ConsumerType
public interface ConfigFormat {
    String PROPERTY_FORMAT = "format";

    String format();

    VmConfig read(String text) throws ConfigException;

    String write(VmConfig config);

    /**
     * The same configuration as {@link #write}, laid out for a machine rather than a reader (no indentation), so
     * cheaper to produce; {@link #read} takes it back. Formats without such a form write their usual text.
     */
    default String writeCompact(VmConfig config) {
        return write(config);
    }
}
