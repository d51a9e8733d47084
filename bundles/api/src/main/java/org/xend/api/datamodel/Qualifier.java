package org.xend.api.datamodel;

/** Field qualifiers of the Xen API datamodel. */
public enum Qualifier {
    /** Read-only, computed or maintained by the daemon at run time. */
    RO_RUN,
    /** Read-only after creation: given to the constructor. */
    RO_INS,
    /** Read-write: a setter is generated. */
    RW
}
