package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.XenApi;
import org.xend.api.config.DaemonSettings;

/**
 * Serves the {@link XenApi} as XML-RPC over HTTP on {@code bindAddress:xenapiPort} of {@code org.xend.daemon}
 * (environment overrides {@code XEND_BIND_ADDRESS}, {@code XEND_XENAPI_PORT}), with the limits of
 * {@code org.xend.rpc.xmlrpc}. Both configurations are optional; the defaults give {@code 127.0.0.1:9363}.
 * The metatype of {@code org.xend.rpc.xmlrpc} is designated on {@link XmlRpcConfig} itself, because a component
 * with two configuration PIDs cannot carry a {@code @Designate}.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = {DaemonSettings.PID, XmlRpcHttpComponent.PID})
public final class XmlRpcHttpComponent {

    public static final String PID = "org.xend.rpc.xmlrpc";

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcHttpComponent.class);

    @Reference
    private XenApi api;

    private XmlRpcHttpServer server;

    public XmlRpcHttpComponent() {
    }

    /** For use without a framework. */
    XmlRpcHttpComponent(XenApi api) {
        this.api = api;
    }

    @Activate
    void activate(XmlRpcConfig config, Map<String, Object> properties) throws IOException {
        ListenerSettings settings = settings(config, properties);
        XmlRpcHttpServer candidate = new XmlRpcHttpServer(settings, api);
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
            LOG.error("Xen API XML-RPC front door could not apply its new address: {}", e.getMessage());
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

    /** The running listener, for tests. */
    XmlRpcHttpServer server() {
        return server;
    }

    private static ListenerSettings settings(XmlRpcConfig config, Map<String, Object> properties) {
        try {
            return ListenerSettings.from(DaemonSettings.fromSystem(properties), config);
        } catch (IllegalArgumentException e) {
            LOG.error("Xen API XML-RPC front door has an invalid configuration: {}", e.getMessage());
            throw e;
        }
    }
}
