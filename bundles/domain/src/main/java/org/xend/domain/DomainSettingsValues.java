package org.xend.domain;

import java.lang.annotation.Annotation;

/**
 * {@link DomainSettings} from plain values, for a domain layer started without Configuration Admin (tests, tools).
 */
public final class DomainSettingsValues implements DomainSettings {

    private final int shutdownTimeoutSeconds;
    private final int minimumRestartSeconds;
    private final int stopActionTimeoutSeconds;

    private DomainSettingsValues(int shutdownTimeoutSeconds, int minimumRestartSeconds,
                                 int stopActionTimeoutSeconds) {
        this.shutdownTimeoutSeconds = shutdownTimeoutSeconds;
        this.minimumRestartSeconds = minimumRestartSeconds;
        this.stopActionTimeoutSeconds = stopActionTimeoutSeconds;
    }

    public static DomainSettings of(int shutdownTimeoutSeconds, int minimumRestartSeconds,
                                    int stopActionTimeoutSeconds) {
        return new DomainSettingsValues(shutdownTimeoutSeconds, minimumRestartSeconds, stopActionTimeoutSeconds);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return DomainSettings.class;
    }

    @Override
    public int shutdownTimeoutSeconds() {
        return shutdownTimeoutSeconds;
    }

    @Override
    public int minimumRestartSeconds() {
        return minimumRestartSeconds;
    }

    @Override
    public int stopActionTimeoutSeconds() {
        return stopActionTimeoutSeconds;
    }

    @Override
    public String toString() {
        return "DomainSettings[shutdownTimeoutSeconds=" + shutdownTimeoutSeconds + ", minimumRestartSeconds="
                + minimumRestartSeconds + ", stopActionTimeoutSeconds=" + stopActionTimeoutSeconds + "]";
    }
}
