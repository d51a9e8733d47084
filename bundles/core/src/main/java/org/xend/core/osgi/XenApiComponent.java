package org.xend.core.osgi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.xend.api.CallContext;
import org.xend.api.XenApi;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.ObjectStore;
import org.xend.core.Dispatcher;
import org.xend.core.TaskClass;
import org.xend.core.TaskManager;

/** The Xen API dispatcher as a service; class implementations may come and go while it runs. */
@Component(service = XenApi.class, configurationPid = "org.xend.core", immediate = true)
@Designate(ocd = XenApiComponent.Config.class)
public class XenApiComponent implements XenApi {

    @ObjectClassDefinition(name = "Xend Xen API dispatcher")
    public @interface Config {
        @AttributeDefinition(description = "Finished tasks kept before the oldest are collected")
        int maxFinishedTasks() default 200;
    }

    private final Map<String, ClassImplementation> implementations = new ConcurrentHashMap<>();

    @Reference
    private ObjectStore store;

    @Reference
    private SessionManager sessions;

    private ExecutorService executor;
    private Dispatcher dispatcher;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindImplementation(ClassImplementation impl) {
        implementations.put(impl.className(), impl);
    }

    void unbindImplementation(ClassImplementation impl) {
        implementations.remove(impl.className(), impl);
    }

    @Activate
    void activate(Config config) {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "xend-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        TaskManager tasks = new TaskManager(store, executor, config.maxFinishedTasks());
        TaskClass taskClass = new TaskClass(tasks);
        dispatcher = new Dispatcher(store, sessions,
                cls -> cls.equals(taskClass.className()) ? taskClass : implementations.get(cls), tasks);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public Map<String, Object> call(CallContext context, String method, List<Object> params) {
        return dispatcher.call(context, method, params);
    }
}
