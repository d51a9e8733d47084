package org.xend.api.model;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code PIF} and {@code PIF_metrics}: spec fields plus XAPI's {@code other_config}; pool-operator for changes, as
 * in XAPI. PIFs are discovered, not created: the spec's {@code create_VLAN} makes a VLAN PIF, and its
 * {@code destroy} is a message that refuses physical PIFs (those with VLAN -1), so there is no generated
 * constructor or destructor. {@code create_VLAN} also raises Xend's codes for a bad or taken device.
 */
final class PifClass {

    /** The VLAN tag of a physical (untagged) interface. */
    static final long PHYSICAL_VLAN = -1L;

    private PifClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.PIF,
                        "A physical network interface (note separate VLANs are represented as several PIFs)")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .field("device", Type.STRING, Qualifier.RW, "machine-readable name of the interface (e.g. eth0)")
                .field("network", Type.ref(XenApiModel.NETWORK), Qualifier.RO_INS,
                        "virtual network to which this pif is connected")
                .field("host", Type.ref(XenApiModel.HOST), Qualifier.RO_INS,
                        "physical machine to which this pif is connected")
                .field("MAC", Type.STRING, Qualifier.RW, "ethernet MAC address of physical interface")
                .field("MTU", Type.INT, Qualifier.RW, "MTU in octets", VifClass.DEFAULT_MTU)
                .field("VLAN", Type.INT, Qualifier.RW,
                        "VLAN tag for all traffic passing through this interface; -1 for a physical interface",
                        PHYSICAL_VLAN)
                .field("metrics", Type.ref(XenApiModel.PIF_METRICS), Qualifier.RO_RUN,
                        "metrics associated with this PIF")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .message(MessageDecl.function("create_VLAN",
                                "Create a VLAN interface from an existing physical interface.")
                        .param("device", Type.STRING, "physical interface on which to create the VLAN interface")
                        .param("network", Type.ref(XenApiModel.NETWORK),
                                "network to which this interface should be connected")
                        .param("host", Type.ref(XenApiModel.HOST), "physical machine to which this PIF is connected")
                        .param("VLAN", Type.INT, "VLAN tag for the new interface")
                        .returns(Type.ref(XenApiModel.PIF))
                        .errors("VLAN_TAG_INVALID", ErrorCodes.HANDLE_INVALID, "NETWORK_ALREADY_CONNECTED",
                                "INVALID_DEVICE_ERROR", "DEVICE_EXISTS_ERROR")
                        .role(Role.POOL_OPERATOR))
                .message(MessageDecl.method("destroy",
                                "Destroy the interface (provided it is a synthetic interface like a VLAN; fail if "
                                        + "it is a physical interface).")
                        .errors("PIF_IS_PHYSICAL")
                        .role(Role.POOL_OPERATOR))
                .build();
    }

    static ClassDecl metricsDeclaration() {
        return DeviceFields.ioMetrics(XenApiModel.PIF_METRICS,
                "The metrics associated with a physical network interface", Role.POOL_OPERATOR);
    }
}
