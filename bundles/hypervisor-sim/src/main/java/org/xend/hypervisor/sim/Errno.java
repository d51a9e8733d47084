package org.xend.hypervisor.sim;

/** The Unix error numbers Xen's hypercalls return, carried by {@code HypervisorException}. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EEXIST = 17;
    static final int EINVAL = 22;

    private Errno() {
    }
}
