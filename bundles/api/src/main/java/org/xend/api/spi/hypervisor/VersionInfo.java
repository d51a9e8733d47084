package org.xend.api.spi.hypervisor;

/** xc_version and friends, named as Xend's xeninfo keys. {@code scheduler} is e.g. {@code credit}. */
public record VersionInfo(int xenMajor, int xenMinor, String xenExtra, String xenCaps, long xenPagesize,
                          String platformParams, String xenChangeset, String ccCompiler, String ccCompileBy,
                          String ccCompileDomain, String ccCompileDate, String scheduler) {
}
