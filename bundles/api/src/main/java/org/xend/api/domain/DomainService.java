package org.xend.api.domain;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.xend.api.spi.config.VmConfig;

/**
 * XendDomain for the configuration-speaking doors. {@code vm} is always a VM ref (its uuid); {@link #lookup} turns
 * what an operator types (a name, a domid or a uuid) into one.
 */
@ProviderType
public interface DomainService {

    /** A VM by name, domid or uuid, as xm resolves its {@code dom} arguments. */
    Optional<String> lookup(String nameDomidOrUuid);

    /** Every VM the daemon knows, Domain-0 first, then by name. */
    List<String> vms();

    DomainView view(String vm);

    /** Defines a managed, Halted VM (xm new); returns its ref. The configuration is validated first. */
    String define(VmConfig config);

    /** Starts a VM that is not managed (xm create): it disappears once its domain is gone. Returns its ref. */
    String createStarted(VmConfig config, boolean paused);

    void start(String vm, boolean paused);

    void pause(String vm);

    void unpause(String vm);

    /** Asks the guest to shut down ({@code poweroff}, {@code halt}) or reboot ({@code reboot}) and waits for it. */
    void shutdown(String vm, String reason);

    /** Destroys the VM's domain at once (xm destroy); a managed VM stays defined and Halted. */
    void destroyDomain(String vm);

    /** Forgets a Halted managed VM and its saved configuration (xm delete). */
    void delete(String vm);

    void rename(String vm, String name);
}
