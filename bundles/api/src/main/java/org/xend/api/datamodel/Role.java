package org.xend.api.datamodel;

/** RBAC roles in decreasing privilege, as XAPI names them. A call declares the least privileged role allowed. */
public enum Role {
    POOL_ADMIN("pool-admin"),
    POOL_OPERATOR("pool-operator"),
    VM_POWER_ADMIN("vm-power-admin"),
    VM_ADMIN("vm-admin"),
    VM_OPERATOR("vm-operator"),
    READ_ONLY("read-only");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True if a subject holding this role may make a call whose least role is {@code required}. */
    public boolean covers(Role required) {
        return ordinal() <= required.ordinal();
    }
}
