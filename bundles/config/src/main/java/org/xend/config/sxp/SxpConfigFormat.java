package org.xend.config.sxp;

import org.osgi.service.component.annotations.Component;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;

/**
 * The {@code sxp} configuration format: reads Xend's {@code (domain …)} (a managed domain's {@code config.sxp},
 * {@code xm list -l}) and xm's {@code (vm …)}; writes the pretty-printed {@code (domain …)} of a managed
 * domain's {@code config.sxp}, which Xend's own parser can load.
 */
@Component(service = ConfigFormat.class, property = ConfigFormat.PROPERTY_FORMAT + "=" + SxpConfigFormat.FORMAT)
public class SxpConfigFormat implements ConfigFormat {

    public static final String FORMAT = "sxp";

    /** Xend saves {@code config.sxp} pretty-printed at this width. */
    static final int CONFIG_FILE_WIDTH = 78;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public VmConfig read(String text) throws ConfigException {
        if (text == null) {
            throw new ConfigException("no SXP text");
        }
        return DomainSxpReader.read(Sxp.parse(text));
    }

    @Override
    public String write(VmConfig config) {
        return Sxp.prettyPrint(DomainSxpWriter.toSxp(config), CONFIG_FILE_WIDTH);
    }

    /** The {@code (domain …)} on one line, as Xend's {@code sxp.show} writes it. */
    @Override
    public String writeCompact(VmConfig config) {
        return Sxp.print(DomainSxpWriter.toSxp(config));
    }
}
