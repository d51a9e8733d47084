/**
 * The Xen API 1.0 datamodel (session, task, host, host_cpu, host_metrics, VM, VM_metrics), declared once
 * with the {@link org.xend.api.datamodel} mechanism; {@link org.xend.api.model.XenApiModel#datamodel()} is the
 * table that dispatch, validation, RBAC and the API reference read.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.xend.api.model;
