package org.xend.api.store;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.xend.api.datamodel.FieldDecl;

/**
 * The behaviour of one Xen API class beyond what is generated from its declaration; registered as a service
 * with property {@code xenapi.class}. A class with no implementation still has all its generated calls.
 */
@ConsumerType
public interface ClassImplementation {
    String PROPERTY_CLASS = "xenapi.class";

    String className();

    /**
     * Implementations keyed by message name. {@code create} and {@code destroy} may be given here to replace the
     * generic constructor and destructor.
     */
    Map<String, MessageImpl> messages();

    /**
     * Checks a change made by a generated setter ({@code set_}, {@code add_to_}, {@code remove_from_},
     * {@code add_}, {@code remove_}) and returns the value to store. Throw a XenApiException to refuse it.
     */
    default Object checkFieldChange(Call call, ApiObject current, FieldDecl field, Object newValue) {
        return newValue;
    }

    /**
     * Checks that the caller may see {@code object}; called before any call acts on or returns it, listings and
     * events included. Throw {@code HANDLE_INVALID} to behave as if the object did not exist, or another code
     * (e.g. {@code PERMISSION_DENIED}) to refuse a call that names it; listings and events leave such objects out.
     */
    default void checkRead(Call call, ApiObject object) {
    }

    /** Overlays live values (read from the hypervisor, say) on a stored snapshot when it is read. */
    default ApiObject live(ApiObject stored) {
        return stored;
    }
}
