package org.xend.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.junit.After;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the Xend Karaf assembly (the tar.gz built by karaf-distribution) once per test class and runs the
 * test methods inside it. The daemon's ports are free ports chosen at boot and its state lives in the
 * unpacked runtime, so a test run never collides with a daemon a developer has running.
 *
 * <p>Subclasses add container options through {@link #additionalOptions()}. The chosen ports are visible
 * inside the container as the system properties {@link #XENAPI_PORT_PROPERTY}, {@link #XENAPI_TLS_PORT_PROPERTY} and
 * {@link #LEGACY_PORT_PROPERTY}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class XendKarafTestSupport {

    public static final String XENAPI_PORT_PROPERTY = "xend.itest.xenapiPort";
    public static final String LEGACY_PORT_PROPERTY = "xend.itest.legacyPort";
    public static final String XENAPI_TLS_PORT_PROPERTY = "xend.itest.xenapiTlsPort";

    /** How long to wait for a service that the boot features should register. */
    protected static final long SERVICE_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(60);

    private static final String KARAF_VERSION = System.getProperty("karaf.version", "4.4.10");

    @Inject
    protected BundleContext bundleContext;

    /** Injection waits for this service, so no test races the boot features. */
    @Inject
    protected BootFinished bootFinished;

    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @Configuration
    public Option[] config() {
        String localRepository = System.getProperty("maven.local.repository",
                System.getProperty("user.home") + "/.m2/repository");
        int[] ports = FreePorts.allocate(4);
        Option[] base = {
            karafDistributionConfiguration()
                .frameworkUrl("file:" + distributionArchive().getAbsolutePath())
                .karafVersion(KARAF_VERSION)
                .name("Xend")
                .unpackDirectory(new File(System.getProperty("xend.itest.exam.dir", "target/exam")))
                .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            // keeping the unpacked runtime costs ~80 MB per class, so only on request (-Dxend.itest.keepRuntime)
            when(Boolean.getBoolean("xend.itest.keepRuntime")).useOptions(keepRuntimeFolder()),
            // Pax Exam installs its own "exam" feature through pax-url-aether inside the container
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                    "https://repo1.maven.org/maven2@id=central"),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    localRepository),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(ports[0])),
            editConfigurationFilePut("etc/org.xend.daemon.cfg", "xenapiPort", Integer.toString(ports[1])),
            editConfigurationFilePut("etc/org.xend.daemon.cfg", "legacyPort", Integer.toString(ports[2])),
            editConfigurationFilePut("etc/org.xend.rpc.xmlrpc.cfg", "xenapiTlsPort", Integer.toString(ports[3])),
            systemProperty(XENAPI_PORT_PROPERTY).value(Integer.toString(ports[1])),
            systemProperty(LEGACY_PORT_PROPERTY).value(Integer.toString(ports[2])),
            systemProperty(XENAPI_TLS_PORT_PROPERTY).value(Integer.toString(ports[3])),
            jdk9PlusOptions(),
        };
        return Stream.concat(Arrays.stream(base), Arrays.stream(additionalOptions())).toArray(Option[]::new);
    }

    /** Extra container options for a subclass (features, configuration edits, system properties). */
    protected Option[] additionalOptions() {
        return new Option[0];
    }

    private static File distributionArchive() {
        String path = System.getProperty("xend.distribution.file");
        if (path == null) {
            throw new IllegalStateException("system property xend.distribution.file is not set (run through Maven failsafe)");
        }
        File archive = new File(path);
        if (!archive.isFile()) {
            throw new IllegalStateException("the Karaf assembly " + archive
                    + " does not exist; build it first: mvn -B install -pl karaf-distribution -am -DskipTests");
        }
        return archive;
    }

    /**
     * What bin/karaf passes to a JDK 9+ JVM and Pax Exam does not (keep in step with the assembly's bin/karaf):
     * the Karaf spec locator and java.xml patches, the opened/exported JDK internals, and the boot class path.
     */
    private static Option jdk9PlusOptions() {
        return composite(
            new VMOption("--add-reads=java.xml=java.logging"),
            new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
            new VMOption("--patch-module"),
            new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF_VERSION + ".jar"),
            new VMOption("--patch-module"),
            new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF_VERSION + ".jar"),
            new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
            new VMOption("--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED"),
            new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
            new VMOption("--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"),
            new VMOption("--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED"),
            new VMOption("--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"),
            new VMOption("-classpath"),
            new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"));
    }

    // ---- helpers for tests running inside the container ----

    /** The installed bundle with this symbolic name, if any. */
    protected Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }

    /** Waits up to {@link #SERVICE_TIMEOUT_MS} for a service matching the type and optional LDAP filter. */
    protected <T> T awaitService(Class<T> type, String filter) throws InterruptedException {
        String objectClass = "(" + org.osgi.framework.Constants.OBJECTCLASS + "=" + type.getName() + ")";
        String ldap = filter == null ? objectClass : "(&" + objectClass + filter + ")";
        Filter osgiFilter;
        try {
            osgiFilter = FrameworkUtil.createFilter(ldap);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + ldap, e);
        }
        // the tracker stays open until the test ends: closing it would release the service object
        ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, osgiFilter, null);
        tracker.open(true);
        trackers.add(tracker);
        T service = tracker.waitForService(SERVICE_TIMEOUT_MS);
        if (service == null) {
            throw new AssertionError("no service " + ldap + " registered within " + SERVICE_TIMEOUT_MS + " ms");
        }
        return service;
    }

    @After
    public void closeServiceTrackers() {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
    }

    /** The properties of a configuration that Config Admin holds, or fails if it does not exist. */
    protected Dictionary<String, Object> configuration(String pid) throws Exception {
        ConfigurationAdmin configAdmin = awaitService(ConfigurationAdmin.class, null);
        org.osgi.service.cm.Configuration[] found =
                configAdmin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + pid + ")");
        if (found == null || found.length == 0 || found[0].getProperties() == null) {
            throw new AssertionError("configuration " + pid + " is not loaded (is etc/" + pid + ".cfg shipped?)");
        }
        return found[0].getProperties();
    }

    /** A file of the running Karaf's etc directory. */
    protected static Path karafEtc(String name) {
        Path path = Path.of(System.getProperty("karaf.etc"), name);
        if (!Files.isRegularFile(path)) {
            throw new AssertionError(path + " does not exist");
        }
        return path;
    }
}
