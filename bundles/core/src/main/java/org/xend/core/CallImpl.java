package org.xend.core;

import java.util.List;

import org.xend.api.CallContext;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.Role;
import org.xend.api.store.Call;
import org.xend.api.store.ObjectStore;

/** One call in flight; {@code task} is null for a synchronous call. */
final class CallImpl implements Call {
    private final ApiCall api;
    private final CallContext context;
    private final String session;
    private final String user;
    private final Role role;
    private final String self;
    private final List<Object> args;
    private final ObjectStore store;
    private final TaskManager.Running task;

    CallImpl(ApiCall api, CallContext context, String session, String user, Role role, String self,
             List<Object> args, ObjectStore store, TaskManager.Running task) {
        this.api = api;
        this.context = context;
        this.session = session;
        this.user = user;
        this.role = role;
        this.self = self;
        this.args = args;
        this.store = store;
        this.task = task;
    }

    CallImpl withTask(TaskManager.Running running) {
        return new CallImpl(api, context, session, user, role, self, args, store, running);
    }

    @Override
    public ApiCall api() {
        return api;
    }

    @Override
    public CallContext context() {
        return context;
    }

    @Override
    public String session() {
        return session;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public List<Object> args() {
        return args;
    }

    @Override
    public String task() {
        return task == null ? null : task.ref();
    }

    @Override
    public void progress(double fraction) {
        if (task != null) {
            task.progress(fraction);
        }
    }

    @Override
    public void checkCancelled() {
        if (task != null) {
            task.checkCancelled();
        }
    }

    @Override
    public ObjectStore store() {
        return store;
    }
}
