package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URL;
import java.util.Map;

import org.junit.Test;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.HostCpu;
import com.xensource.xenapi.HostMetrics;
import com.xensource.xenapi.Session;
import com.xensource.xenapi.Task;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VM;
import com.xensource.xenapi.VMMetrics;

/**
 * The slice through the Citrix Hypervisor 8.1 Java SDK, which parses every record with unchecked casts: an int that
 * is not a string, a float that is not a double or a malformed reply makes it throw.
 */
public class CitrixSdkIT {

    private static final String DOM0 = "00000000-0000-0000-0000-000000000000";

    @Test
    public void sdkLogsInReadsRecordsAndDrivesAVm() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.create("citrix-sdk")) {
            daemon.start();
            Connection c = new Connection(new URL(daemon.xenApiUrl()));
            try {
                Session.loginWithPassword(c, "root", "wrong", "1.0", "sdk-it");
                fail("a wrong password must not log in");
            } catch (Types.SessionAuthenticationFailed expected) {
                // the SDK maps SESSION_AUTHENTICATION_FAILED to its own exception
            }
            Session.loginWithPassword(c, "root", daemon.rootPassword(), "1.0", "sdk-it");
            Session.getByUuid(c, c.getSessionReference()).getRecord(c);

            Host host = Host.getAll(c).iterator().next();
            Host.Record hostRecord = host.getRecord(c);
            assertEquals(Long.valueOf(1), hostRecord.APIVersionMajor);
            assertEquals(Long.valueOf(0), hostRecord.APIVersionMinor);
            assertFalse(hostRecord.hostCPUs.isEmpty());
            for (HostCpu.Record cpu : HostCpu.getAllRecords(c).values()) {
                assertNotNull(cpu.utilisation);
                assertNotNull(cpu.speed);
            }
            HostMetrics.Record metrics = hostRecord.metrics.getRecord(c);
            assertTrue(metrics.memoryTotal > metrics.memoryFree);

            Map<VM, VM.Record> all = VM.getAllRecords(c);
            VM.Record dom0 = all.get(VM.getByUuid(c, DOM0));
            assertNotNull("Domain-0 is among the VMs", dom0);
            assertTrue(dom0.isControlDomain);
            assertEquals(Types.VmPowerState.RUNNING, dom0.powerState);

            VM.Record wanted = new VM.Record();
            wanted.nameLabel = "sdk-guest";
            wanted.nameDescription = "made by the Citrix SDK test";
            wanted.memoryStaticMax = 256L << 20;
            wanted.memoryDynamicMax = 256L << 20;
            wanted.memoryDynamicMin = 128L << 20;
            wanted.memoryStaticMin = 64L << 20;
            wanted.VCPUsMax = 2L;
            wanted.VCPUsAtStartup = 1L;
            wanted.actionsAfterShutdown = Types.OnNormalExit.DESTROY;
            wanted.actionsAfterReboot = Types.OnNormalExit.RESTART;
            wanted.actionsAfterCrash = Types.OnCrashBehaviour.RESTART;
            wanted.PVKernel = "/boot/vmlinuz-xenU";
            wanted.PVArgs = "root=/dev/xvda1 ro";
            wanted.otherConfig = Map.of("made-by", "sdk");
            VM vm = VM.create(c, wanted);

            VM.Record created = vm.getRecord(c);
            assertEquals(Types.VmPowerState.HALTED, created.powerState);
            assertEquals(Long.valueOf(256L << 20), created.memoryStaticMax);
            assertEquals(Map.of("made-by", "sdk"), created.otherConfig);
            assertEquals(Long.valueOf(-1), created.domid);

            vm.start(c, false, false);
            VM.Record running = vm.getRecord(c);
            assertEquals(Types.VmPowerState.RUNNING, running.powerState);
            assertTrue(running.domid > 0);
            VMMetrics.Record vmMetrics = running.metrics.getRecord(c);
            assertEquals(Long.valueOf(256L << 20), vmMetrics.memoryActual);
            assertEquals(Long.valueOf(1), vmMetrics.VCPUsNumber);
            try {
                vm.start(c, false, false);
                fail("starting a running VM must fail");
            } catch (Types.VmBadPowerState e) {
                assertEquals("Halted", e.expected);
                assertEquals("Running", e.actual);
            }
            VM.getAllRecords(c);

            vm.cleanShutdown(c);
            assertEquals(Types.VmPowerState.HALTED, vm.getPowerState(c));

            Task task = vm.startAsync(c, false, false);
            Task.Record taskRecord = waitFor(c, task);
            assertEquals(Types.TaskStatusType.SUCCESS, taskRecord.status);
            assertEquals(Double.valueOf(1.0), taskRecord.progress);
            assertEquals(Types.VmPowerState.RUNNING, vm.getPowerState(c));
            task.destroy(c);

            vm.hardShutdown(c);
            assertEquals(Types.VmPowerState.HALTED, vm.getPowerState(c));
            vm.destroy(c);
            assertFalse(VM.getAll(c).contains(vm));
            Session.logout(c);
        }
    }

    private static Task.Record waitFor(Connection c, Task task) throws Exception {
        for (int i = 0; i < 600; i++) {
            Task.Record r = task.getRecord(c);
            if (r.status != Types.TaskStatusType.PENDING) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task did not finish");
    }
}
