package org.xend.api.spi.config;

import org.osgi.annotation.versioning.ConsumerType;

/** Reads and writes VM configurations in one format (service property {@code format}: sxp, python, xenapi). */
@ConsumerType
public interface ConfigFormat {
    String PROPERTY_FORMAT = "format";

    String format();

    VmConfig read(String text) throws ConfigException;

    String write(VmConfig config);
}
