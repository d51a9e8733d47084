/**
 * The Xen API 1.0 datamodel (every class of the spec, and XAPI's minimal pool), declared once with the
 * {@link org.xend.api.datamodel} mechanism; {@link org.xend.api.model.XenApiModel#datamodel()} is the
 * table that dispatch, validation, RBAC and the API reference read.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.xend.api.model;
