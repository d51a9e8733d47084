package org.xend.relocation;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.xend.api.config.DaemonSettings;
import org.xend.api.spi.relocation.MigrationOffer;
import org.xend.api.spi.relocation.OutgoingMigration;
import org.xend.api.spi.relocation.RelocationClient;
import org.xend.api.spi.relocation.RelocationException;

/**
 * Opens migrations to other hosts' relocation servers, whether or not this host runs one. Port 0 means this
 * daemon's configured relocation {@code port}; {@code timeoutSeconds} bounds every wait for the destination,
 * sending included: a destination that stops reading the image for that long is disconnected by a watchdog
 * (one thread, {@code xend-relocation-watchdog}).
 */
@Component(configurationPid = {DaemonSettings.PID, RelocationSettings.PID})
public final class SocketRelocationClient implements RelocationClient {

    private final RelocationSettings settings;
    private final ScheduledExecutorService watchdog;

    @Activate
    public SocketRelocationClient(Map<String, Object> properties) {
        this(RelocationSettings.from(properties, System.getenv(), System.getProperty("karaf.data")));
    }

    SocketRelocationClient(RelocationSettings settings) {
        this.settings = settings;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xend-relocation-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public OutgoingMigration open(String host, int port, MigrationOffer offer) {
        if (host == null || host.isBlank()) {
            throw new RelocationException("no destination host");
        }
        if (port < 0 || port > 65535) {
            throw new RelocationException("port " + port + " is not a TCP port");
        }
        return SocketMigration.open(host.trim(), port == 0 ? settings.port() : port, offer, settings.timeout(),
                watchdog);
    }

    @Deactivate
    void deactivate() {
        watchdog.shutdownNow();
    }
}
