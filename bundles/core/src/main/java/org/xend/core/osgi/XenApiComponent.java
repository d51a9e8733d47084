package org.xend.core.osgi;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.XenApi;
import org.xend.api.model.XenApiModel;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ClassImplementation;
import org.xend.core.Dispatcher;
import org.xend.core.ObjectStoreImpl;
import org.xend.core.TaskClass;
import org.xend.core.TaskManager;
import org.xend.core.event.EventClass;

/**
 * The Xen API dispatcher as a service; class implementations may come and go while it runs. The {@code task} and
 * {@code event} classes are implemented here, in core, because they need the task manager and the store's
 * generations.
 */
@Component(service = XenApi.class, configurationPid = "org.xend.core", immediate = true)
@Designate(ocd = XenApiComponent.Config.class)
public class XenApiComponent implements XenApi {

    private static final Logger LOG = LoggerFactory.getLogger(XenApiComponent.class);

    @ObjectClassDefinition(name = "Xend Xen API dispatcher",
            description = "Tasks and events of the Xen API")
    public @interface Config {
        @AttributeDefinition(description = "Finished tasks kept before the oldest are collected")
        int maxFinishedTasks() default 200;

        @AttributeDefinition(description = "Milliseconds event.from lets a burst of changes settle before it "
                + "answers, so the burst comes back as one batch (XAPI: 50); 0 answers at once")
        long eventFromSettleMillis() default 50;

        @AttributeDefinition(description = "The same for event.next (XAPI: 200)")
        long eventNextSettleMillis() default 200;

        @AttributeDefinition(description = "Events a session may have waiting for event.next; beyond this they "
                + "are dropped and the next call gets EVENTS_LOST")
        int eventQueueLength() default 10_000;

        @AttributeDefinition(description = "Removed objects remembered for event.from and event.next; a reader "
                + "further behind gets EVENTS_LOST")
        int deletedObjectsKept() default ObjectStoreImpl.DEFAULT_DELETIONS_KEPT;

        @AttributeDefinition(description = "Classes of live metrics whose changes make no events of their own "
                + "(their creation and removal still do)")
        String[] eventlessClasses() default {XenApiModel.VM_METRICS, XenApiModel.VM_GUEST_METRICS,
                XenApiModel.HOST_METRICS, XenApiModel.HOST_CPU, XenApiModel.VIF_METRICS, XenApiModel.VBD_METRICS,
                XenApiModel.PIF_METRICS};
    }

    private final Map<String, ClassImplementation> implementations = new ConcurrentHashMap<>();

    @Reference
    private ObjectStoreImpl store;

    @Reference
    private SessionManager sessions;

    private ExecutorService executor;
    private TaskManager tasks;
    private TaskClass taskClass;
    private EventClass events;
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
        store.setDeletionsKept(config.deletedObjectsKept());
        tasks = new TaskManager(store, executor, config.maxFinishedTasks());
        taskClass = new TaskClass(tasks);
        Set<String> eventless = new LinkedHashSet<>(Arrays.asList(config.eventlessClasses()));
        EventClass.Settings settings = new EventClass.Settings(config.eventFromSettleMillis(),
                config.eventNextSettleMillis(), config.eventQueueLength(), eventless);
        events = new EventClass(store, this::implementation, settings);
        dispatcher = new Dispatcher(store, sessions, this::implementation, tasks);
        LOG.info("Xen API ready: event.from settles {} ms, event.next {} ms, {} queued events per session, "
                        + "{} removed objects remembered", settings.fromSettleMillis(), settings.nextSettleMillis(),
                settings.queueLength(), config.deletedObjectsKept());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        events.close();
        tasks.close();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private ClassImplementation implementation(String className) {
        if (className.equals(taskClass.className())) {
            return taskClass;
        }
        if (className.equals(EventClass.EVENT)) {
            return events;
        }
        return implementations.get(className);
    }

    @Override
    public Map<String, Object> call(CallContext context, String method, List<Object> params) {
        return dispatcher.call(context, method, params);
    }
}
