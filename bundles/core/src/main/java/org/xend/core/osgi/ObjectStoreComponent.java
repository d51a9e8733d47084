package org.xend.core.osgi;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.xend.api.model.XenApiModel;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.ObjectStore;
import org.xend.core.ObjectStoreImpl;

/**
 * The object store as a service; class persisters may come and go while it runs. It is also registered under its
 * implementation class, which only this bundle can see, for the event service that reads its generations.
 */
@Component(service = {ObjectStore.class, ObjectStoreImpl.class}, immediate = true)
public class ObjectStoreComponent extends ObjectStoreImpl {

    public ObjectStoreComponent() {
        super(XenApiModel.datamodel());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPersister(ClassPersister persister, Map<String, Object> props) {
        registerPersister(className(props), persister);
    }

    void unbindPersister(ClassPersister persister, Map<String, Object> props) {
        unregisterPersister(className(props), persister);
    }

    private static String className(Map<String, Object> props) {
        Object c = props.get(ClassPersister.PROPERTY_CLASS);
        if (c == null) {
            throw new IllegalArgumentException("a ClassPersister needs the service property "
                    + ClassPersister.PROPERTY_CLASS);
        }
        return c.toString();
    }
}
