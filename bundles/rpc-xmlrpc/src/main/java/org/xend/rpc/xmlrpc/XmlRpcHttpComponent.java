package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.XenApi;
import org.xend.api.domain.DomainService;
import org.xend.api.config.DaemonSettings;
import org.xend.api.config.Settings;
import org.xend.rpc.xmlrpc.legacy.LegacyXmApiComponent;
import org.xend.rpc.xmlrpc.legacy.XendMethodRouter;

/**
 * Serves the {@link XenApi} as XML-RPC over HTTP/1.1 on three listeners:
 * <ul>
 *   <li>HTTP on {@code bindAddress:xenapiPort} of {@code org.xend.daemon} (default {@code 127.0.0.1:9363});</li>
 *   <li>HTTPS on {@code bindAddress:xenapiTlsPort} of {@code org.xend.rpc.xmlrpc} (default 9364; 0 or negative
 *       disables it), with {@code tlsCertificate}/{@code tlsKey}, or else a self-signed certificate generated once
 *       into {@code <stateDir>/tls};</li>
 *   <li>the Unix socket {@code <socketDir>/xen-api.sock} (mode 0600) when {@code socketDir} is set.</li>
 * </ul>
 * Environment variables override the configuration: {@code XEND_BIND_ADDRESS}, {@code XEND_XENAPI_PORT},
 * {@code XEND_XENAPI_TLS_PORT}, {@code XEND_SOCKET_DIR}, {@code XEND_STATE_DIR}. The listeners start independently:
 * one that cannot start is logged as an error and the others serve. The metatype of {@code org.xend.rpc.xmlrpc} is
 * designated on {@link XmlRpcConfig} itself, because a component with two configuration PIDs cannot carry a
 * {@code @Designate}.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = {DaemonSettings.PID, XmlRpcHttpComponent.PID})
public final class XmlRpcHttpComponent {

    public static final String PID = "org.xend.rpc.xmlrpc";
    public static final int DEFAULT_TLS_PORT = 9364;
    public static final String TLS_PORT_KEY = "xenapiTlsPort";
    public static final String TLS_PORT_ENV = "XEND_XENAPI_TLS_PORT";
    /** No underscore: XenAPI.py's Unix transport turns {@code _} in the URL into {@code /}. */
    public static final String SOCKET_NAME = "xen-api.sock";
    /** Under the state directory: the generated key and self-signed certificate. */
    public static final String TLS_DIRECTORY = "tls";

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcHttpComponent.class);

    @Reference
    private XenApi api;

    /**
     * Not called: the doors open only once the domain layer is up (it registers this after its VM and host classes),
     * so a client can never reach a VM class with no lifecycle behind it.
     */
    @Reference
    private DomainService domainLayerReady;

    /** The legacy xm API while it runs: Xend answered its xend.* methods on the Xen API listeners too. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + LegacyXmApiComponent.API_PROPERTY + "=" + LegacyXmApiComponent.API_LEGACY + ")")
    private volatile XmlRpcHandler legacyApi;

    private final Map<String, String> environment;
    private XmlRpcHttpServer server;

    public XmlRpcHttpComponent() {
        this.environment = System.getenv();
    }

    /** For use without a framework. */
    XmlRpcHttpComponent(XenApi api) {
        this(api, System.getenv());
    }

    /** For tests: {@code environment} stands in for the process environment. */
    XmlRpcHttpComponent(XenApi api, Map<String, String> environment) {
        this.api = api;
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Activate
    void activate(XmlRpcConfig config, Map<String, Object> properties) throws IOException {
        ListenerSettings settings = settings(config, properties);
        XmlRpcHttpServer candidate = new XmlRpcHttpServer("Xen API", settings,
                new XendMethodRouter(new XenApiHandler(api), () -> legacyApi));
        try {
            candidate.start();
        } catch (IOException e) {
            LOG.error("Xen API XML-RPC front door not started: {}", e.getMessage());
            throw e;
        }
        server = candidate;
    }

    @Modified
    void modified(XmlRpcConfig config, Map<String, Object> properties) throws IOException {
        ListenerSettings settings = settings(config, properties);
        try {
            server.reconfigure(settings);
        } catch (IOException e) {
            LOG.error("Xen API XML-RPC front door could not apply its new configuration: {}", e.getMessage());
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server, for tests. */
    XmlRpcHttpServer server() {
        return server;
    }

    private ListenerSettings settings(XmlRpcConfig config, Map<String, Object> properties) {
        try {
            DaemonSettings daemon = DaemonSettings.from(properties, environment, System.getProperty("karaf.data"));
            ListenerSettings settings = ListenerSettings.from(daemon, config);
            // The configured value (from either PID) is the default the environment may override.
            int tlsPort = Settings.intValue(Map.of(), environment, TLS_PORT_KEY, TLS_PORT_ENV, config.xenapiTlsPort());
            if (tlsPort > 65535) {
                throw new IllegalArgumentException(TLS_PORT_KEY + " must be at most 65535, got " + tlsPort);
            }
            if (tlsPort > 0) {
                Optional<TlsIdentity> identity = tlsIdentity(config, daemon);
                if (identity.isPresent()) {
                    settings = settings.withTls(tlsPort, identity.get());
                }
            }
            if (daemon.socketDir().isPresent()) {
                settings = settings.withUnixSocket(daemon.socketDir().get().resolve(SOCKET_NAME));
            }
            return settings;
        } catch (IllegalArgumentException e) {
            LOG.error("Xen API XML-RPC front door has an invalid configuration: {}", e.getMessage());
            throw e;
        }
    }

    /** The configured key and certificate, or the self-signed pair; empty (and logged) when neither is usable. */
    private Optional<TlsIdentity> tlsIdentity(XmlRpcConfig config, DaemonSettings daemon) {
        String certificate = config.tlsCertificate() == null ? "" : config.tlsCertificate().trim();
        String key = config.tlsKey() == null ? "" : config.tlsKey().trim();
        try {
            TlsIdentity identity;
            String source;
            if (certificate.isEmpty() && key.isEmpty()) {
                Path dir = daemon.stateDir().resolve(TLS_DIRECTORY);
                identity = SelfSignedIdentity.loadOrCreate(dir, XmlRpcHttpComponent::hostName);
                source = "self-signed, " + dir.resolve(SelfSignedIdentity.CERTIFICATE_FILE);
            } else if (certificate.isEmpty() || key.isEmpty()) {
                throw new IOException("tlsCertificate and tlsKey must be set together");
            } else {
                Path certificateFile = configuredPath(certificate);
                identity = TlsIdentity.fromPemFiles(certificateFile, configuredPath(key));
                source = certificateFile.toString();
            }
            LOG.info("Xen API over HTTPS presents {} (SHA-256 fingerprint {}) from {}",
                    identity.certificate().getSubjectX500Principal().getName(), identity.fingerprint(), source);
            warnIfNotValidNow(identity);
            return Optional.of(identity);
        } catch (IOException | IllegalStateException e) {
            LOG.error("Xen API XML-RPC over https not started: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static void warnIfNotValidNow(TlsIdentity identity) {
        try {
            identity.certificate().checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn("The HTTPS certificate is not valid now ({}): clients will refuse it", e.getMessage());
        }
    }

    /** A relative path is taken from Karaf's etc directory, where the rest of the configuration lives. */
    private static Path configuredPath(String value) {
        Path path = Path.of(value);
        String etc = System.getProperty("karaf.etc");
        return path.isAbsolute() || etc == null ? path : Path.of(etc).resolve(path);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
