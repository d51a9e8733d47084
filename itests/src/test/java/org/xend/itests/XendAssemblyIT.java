package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.xenstore.XenStore;

/** Boots the product assembly as shipped and checks that the daemon's parts and configuration are in place. */
public class XendAssemblyIT extends XendKarafTestSupport {

    /** Every bundle the "xend" boot feature installs; extend when a part is added to the feature. */
    private static final List<String> XEND_BUNDLES = List.of(
            "xend-api", "xend-hypervisor-sim", "xend-config", "xend-core", "xend-auth", "xend-domain",
            "xend-shell", "xend-rpc-xmlrpc", "xend-relocation");

    @Test
    public void everyXendBundleIsActive() {
        List<String> problems = new ArrayList<>();
        for (String name : XEND_BUNDLES) {
            bundle(name).ifPresentOrElse(
                    b -> {
                        if (b.getState() != Bundle.ACTIVE) {
                            problems.add(name + " is " + stateName(b.getState()));
                        }
                    },
                    () -> problems.add(name + " is not installed"));
        }
        assertTrue("xend bundles not active: " + problems, problems.isEmpty());
    }

    @Test
    public void noBundleOfTheAssemblyIsLeftUnstarted() {
        // a bundle that failed to resolve (e.g. a missing Netty package) stays INSTALLED or RESOLVED
        String unstarted = Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (" + stateName(b.getState()) + ")")
                .collect(Collectors.joining(", "));
        assertEquals("bundles not started", "", unstarted);
    }

    @Test
    public void simulatedHypervisorAndItsXenStoreAreRegistered() throws Exception {
        Hypervisor hypervisor = awaitService(Hypervisor.class, "(" + Hypervisor.PROPERTY_TYPE + "=sim)");
        assertEquals("sim", hypervisor.type());
        assertNotNull(awaitService(XenStore.class, null));
    }

    @Test
    public void shippedDaemonConfigurationIsLoaded() throws Exception {
        Dictionary<String, Object> daemon = configuration("org.xend.daemon");
        assertEquals("127.0.0.1", String.valueOf(daemon.get("bindAddress")));
        // the test's own ports replaced the shipped 9363/8006, so a developer's daemon is left alone
        assertEquals(System.getProperty(XENAPI_PORT_PROPERTY), String.valueOf(daemon.get("xenapiPort")));
        assertEquals(System.getProperty(LEGACY_PORT_PROPERTY), String.valueOf(daemon.get("legacyPort")));
        assertTrue("stateDir key shipped", hasKey(daemon, "stateDir"));
        assertTrue("socketDir key shipped", hasKey(daemon, "socketDir"));

        assertEquals("file", String.valueOf(configuration("org.xend.auth").get("authenticator")));
        assertEquals("16384", String.valueOf(configuration("org.xend.hypervisor.sim").get("memoryMiB")));
        Dictionary<String, Object> rpc = configuration("org.xend.rpc.xmlrpc");
        for (String key : List.of("maxRequestBytes", "maxDepth", "idleTimeoutSeconds")) {
            assertTrue(key + " shipped in org.xend.rpc.xmlrpc", hasKey(rpc, key));
        }
    }

    @Test
    public void karafShipsWithoutAccountsAndListensOnLoopbackOnly() throws Exception {
        Properties users = new Properties();
        try (Reader reader = Files.newBufferedReader(karafEtc("users.properties"))) {
            users.load(reader);
        }
        for (String account : users.stringPropertyNames()) {
            if (!account.startsWith("_g_:")) {
                fail("users.properties ships an enabled account: " + account);
            }
        }

        assertEquals("127.0.0.1", String.valueOf(configuration("org.apache.karaf.shell").get("sshHost")));
        Dictionary<String, Object> management = configuration("org.apache.karaf.management");
        assertEquals("127.0.0.1", String.valueOf(management.get("rmiRegistryHost")));
        assertEquals("127.0.0.1", String.valueOf(management.get("rmiServerHost")));
        // a fixed serviceUrl would ignore ORG_APACHE_KARAF_MANAGEMENT_RMI*PORT overrides
        assertFalse("serviceUrl must be derived from the ports", hasKey(management, "serviceUrl"));
        assertEquals("true", String.valueOf(configuration("org.apache.karaf.jaas").get("encryption.enabled")));
    }

    @Test
    public void theRelocationClientIsThereAndTheServerIsOffAsInXend() throws Exception {
        assertNotNull(awaitService(org.xend.api.spi.relocation.RelocationClient.class, null));
        assertEquals("false", String.valueOf(configuration("org.xend.relocation").get("server")));
        assertEquals("8002", String.valueOf(configuration("org.xend.relocation").get("port")));
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress("127.0.0.1", 8002), 500);
            fail("nothing listens on the relocation port while the server is off");
        } catch (java.io.IOException expected) {
            // refused: the server is off
        }
    }

    private static boolean hasKey(Dictionary<String, Object> properties, String key) {
        return java.util.Collections.list(properties.keys()).contains(key);
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "state " + state;
        }
    }
}
