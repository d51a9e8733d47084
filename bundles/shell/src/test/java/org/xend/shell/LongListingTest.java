package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.VcpuInfo;

class LongListingTest {

    private static final String PRETTY = "(domain\n    (uuid 1)\n    (name web)\n    (device (vif (mac 00:16:3e:00:00:01)))\n)\n";

    @Test
    void aLiveDomainGetsItsDomidFirstAndItsRunTimeStateLast() {
        DomainView view = new DomainView("1", new VmConfig(Map.of("name_label", "web"), Map.of(), List.of()),
                "Running", true, 5, 131072, 131072, 1, 2_500_000_000L, Optional.empty(),
                Instant.ofEpochMilli(1_700_000_000_250L), List.of(new VcpuInfo(0, true, true, false, 0, 0,
                List.of(0))), 0);
        assertEquals("(domain\n    (domid 5)\n    (uuid 1)\n    (name web)\n"
                        + "    (device (vif (mac 00:16:3e:00:00:01)))\n    (online_vcpus 1)\n    (cpu_time 2.500)\n"
                        + "    (start_time 1700000000.25)\n    (status 2)\n    (state -b----)\n)\n",
                LongListing.of(view, PRETTY));
    }

    @Test
    void aHaltedVmOnlyGetsItsStatus() {
        DomainView view = new DomainView("1", new VmConfig(Map.of(), Map.of(), List.of()), "Halted", true, -1,
                0, 0, 1, 0, Optional.empty(), Instant.EPOCH, List.of(), 0);
        assertEquals("(domain (uuid 1) (name web) (status 0))\n", LongListing.of(view, "(domain (uuid 1) (name web))\n"));
        assertEquals("(domain\n    (uuid 1)\n    (name web)\n    (device (vif (mac 00:16:3e:00:00:01)))\n"
                + "    (status 0)\n)\n", LongListing.of(view, PRETTY));
    }

    @Test
    void textThatIsNotADomainIsLeftAlone() {
        assertEquals("(vm (name x))\n", LongListing.insert("(vm (name x))\n", List.of("(domid 1)"), List.of()));
    }
}
