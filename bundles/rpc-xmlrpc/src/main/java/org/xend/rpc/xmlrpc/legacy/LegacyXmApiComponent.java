package org.xend.rpc.xmlrpc.legacy;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.config.DaemonSettings;
import org.xend.api.config.Settings;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.rpc.xmlrpc.ListenerSettings;
import org.xend.rpc.xmlrpc.XmlRpcConfig;
import org.xend.rpc.xmlrpc.XmlRpcFault;
import org.xend.rpc.xmlrpc.XmlRpcHandler;
import org.xend.rpc.xmlrpc.XmlRpcHttpComponent;
import org.xend.rpc.xmlrpc.XmlRpcHttpServer;

/**
 * The legacy xm XML-RPC API, as Xend's {@code xend-unix-xmlrpc-server} and {@code xend-tcp-xmlrpc-server}:
 * <ul>
 *   <li>on the Unix socket {@code <socketDir>/xmlrpc.sock} (mode 0600) when {@code socketDir} of
 *       {@code org.xend.daemon} is set ({@code bin/xen-api-stdio --legacy} relays to it);</li>
 *   <li>over HTTP on {@code bindAddress:legacyPort} when {@code legacyTcpEnabled} of {@code org.xend.rpc.xmlrpc}
 *       is true (default false; environment {@code XEND_LEGACY_TCP_ENABLED}), with that PID's limits and
 *       allowed hosts. Like Xend's, it asks for no credentials.</li>
 * </ul>
 * It is also published as an {@link XmlRpcHandler} with {@code xmlrpc.api=legacy}, which the Xen API listeners
 * hand their {@code xend.*} calls to. With neither listener configured only that remains.
 */
@Component(
        service = XmlRpcHandler.class,
        immediate = true,
        configurationPid = {DaemonSettings.PID, XmlRpcHttpComponent.PID},
        property = LegacyXmApiComponent.API_PROPERTY + "=" + LegacyXmApiComponent.API_LEGACY)
public final class LegacyXmApiComponent implements XmlRpcHandler {

    /** Service property naming the API an {@link XmlRpcHandler} serves. */
    public static final String API_PROPERTY = "xmlrpc.api";
    public static final String API_LEGACY = "legacy";
    /** Xend's name for the legacy API's socket ({@code /var/run/xend/xmlrpc.sock}). */
    public static final String SOCKET_NAME = "xmlrpc.sock";
    public static final String TCP_ENABLED_KEY = "legacyTcpEnabled";
    public static final String TCP_ENABLED_ENV = "XEND_LEGACY_TCP_ENABLED";

    private static final Logger LOG = LoggerFactory.getLogger(LegacyXmApiComponent.class);

    @Reference
    private DomainService domains;

    @Reference(target = "(" + ConfigFormat.PROPERTY_FORMAT + "=sxp)")
    private ConfigFormat sxp;

    @Reference
    private Hypervisor hypervisor;

    private final Map<String, String> environment;
    private volatile LegacyXmApi api;
    private XmlRpcHttpServer server;

    public LegacyXmApiComponent() {
        this.environment = System.getenv();
    }

    /** For use without a framework; {@code environment} stands in for the process environment. */
    LegacyXmApiComponent(DomainService domains, ConfigFormat sxp, Hypervisor hypervisor,
                         Map<String, String> environment) {
        this.domains = domains;
        this.sxp = sxp;
        this.hypervisor = hypervisor;
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Activate
    void activate(XmlRpcConfig config, Map<String, Object> properties) {
        api = new LegacyXmApi(domains, sxp, hypervisor);
        apply(settings(config, properties));
    }

    @Modified
    void modified(XmlRpcConfig config, Map<String, Object> properties) {
        apply(settings(config, properties));
    }

    @Deactivate
    synchronized void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public Object call(CallContext context, String methodName, List<Object> params) throws XmlRpcFault {
        return api.call(context, methodName, params);
    }

    @Override
    public Object internalError(String methodName, String reason) throws XmlRpcFault {
        return api.internalError(methodName, reason);
    }

    /** The running listeners, or null when none is configured; for tests. */
    synchronized XmlRpcHttpServer server() {
        return server;
    }

    /**
     * Opens, moves or closes the listeners. A listener that cannot be bound is logged and the others serve; the
     * handler stays published for the Xen API listeners whatever happens here.
     */
    private synchronized void apply(ListenerSettings next) {
        boolean wanted = next.port() != ListenerSettings.DISABLED || next.unixSocket().isPresent();
        if (!wanted) {
            if (server != null) {
                server.close();
                server = null;
            }
            LOG.info("Legacy xm XML-RPC API served on the Xen API listeners only (no socketDir, {} is false)",
                    TCP_ENABLED_KEY);
            return;
        }
        try {
            if (server == null) {
                XmlRpcHttpServer candidate = new XmlRpcHttpServer("legacy xm API", next, this);
                candidate.start();
                server = candidate;
            } else {
                server.reconfigure(next);
            }
        } catch (IOException e) {
            LOG.error("Legacy xm XML-RPC API listeners: {}", e.getMessage());
        }
    }

    private ListenerSettings settings(XmlRpcConfig config, Map<String, Object> properties) {
        DaemonSettings daemon = DaemonSettings.from(properties, environment, System.getProperty("karaf.data"));
        boolean tcp = tcpEnabled(config);
        return ListenerSettings.from(daemon, config)
                .withEndpoint(daemon.bindAddress(), tcp ? daemon.legacyPort() : ListenerSettings.DISABLED)
                .withUnixSocket(daemon.socketDir().map(dir -> dir.resolve(SOCKET_NAME)).orElse(null));
    }

    private boolean tcpEnabled(XmlRpcConfig config) {
        // the environment wins over the configuration, as for every daemon setting
        String value = Settings.value(Map.of(), environment, TCP_ENABLED_KEY, TCP_ENABLED_ENV,
                Boolean.toString(config.legacyTcpEnabled())).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> {
                LOG.error("{} ({}) must be true or false, not '{}': the legacy API is not served over TCP",
                        TCP_ENABLED_KEY, TCP_ENABLED_ENV, value);
                yield false;
            }
        };
    }
}
