package org.xend.rpc.xmlrpc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.xend.api.CallContext;
import org.xend.api.XenApi;

/**
 * A fake dispatcher: answers {@code Success} with a struct echoing the call, plus a few methods that return
 * particular shapes ({@code test.*}).
 */
final class EchoXenApi implements XenApi {

    record Received(CallContext context, String method, List<Object> params) {
    }

    final List<Received> calls = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger callCount = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch blockedCallStarted = new CountDownLatch(1);

    @Override
    public Map<String, Object> call(CallContext context, String method, List<Object> params) {
        calls.add(new Received(context, method, params));
        callCount.incrementAndGet();
        switch (method) {
            case "test.large":
                return success("x".repeat(8 << 20));
            case "test.record":
                return success(vmRecord());
            case "test.null": {
                Map<String, Object> value = new HashMap<>();
                value.put("name_label", null);
                value.put("tags", new Object[] {"a", null});
                return success(value);
            }
            case "test.types": {
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("int", 42);
                value.put("true", Boolean.TRUE);
                value.put("double", 2.5);
                value.put("date", Date.from(Instant.parse("2007-05-08T10:38:06Z")));
                value.put("long", 1234567890123L);
                value.put("list", List.of("x", "y"));
                value.put("array", new Object[] {"z", 7});
                value.put("map", Map.of("k", "v"));
                value.put("text", "a<b & c>d \"q\" \r\n é € 😀");
                return success(value);
            }
            case "test.unencodable":
                return success(new Object());
            case "test.throws":
                throw new IllegalStateException("org.example.Secret blew up");
            case "test.returnsNull":
                return null;
            case "test.block":
                blockedCallStarted.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return success("released");
            default: {
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("method", method);
                value.put("params", params.toArray());
                value.put("transport", context.transport());
                value.put("peer", context.peer());
                return success(value);
            }
        }
    }

    static Map<String, Object> success(Object value) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("Status", "Success");
        result.put("Value", value);
        return result;
    }

    /** A VM record of 63 fields, about the size Xend sends for {@code VM.get_record}. */
    static Map<String, Object> vmRecord() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("uuid", "6d2fcd0c-3c4e-4a85-9a8f-2cb3a7c2a1f0");
        record.put("power_state", "Running");
        record.put("name_label", "guest-<01> & friends");
        record.put("name_description", "a test guest");
        record.put("user_version", "1");
        record.put("is_a_template", Boolean.FALSE);
        record.put("auto_power_on", Boolean.FALSE);
        record.put("memory_static_max", "268435456");
        record.put("memory_static_min", "134217728");
        record.put("memory_dynamic_max", "268435456");
        record.put("memory_dynamic_min", "134217728");
        record.put("VCPUs_params", Map.of("weight", "256", "cap", "0"));
        record.put("VCPUs_max", "2");
        record.put("VCPUs_at_startup", "2");
        record.put("actions_after_shutdown", "destroy");
        record.put("actions_after_reboot", "restart");
        record.put("actions_after_crash", "restart");
        record.put("PV_bootloader", "pygrub");
        record.put("PV_kernel", "/boot/vmlinuz-2.6.18-xenU");
        record.put("PV_ramdisk", "/boot/initrd-2.6.18-xenU.img");
        record.put("PV_args", "root=/dev/sda1 ro console=hvc0");
        record.put("PV_bootloader_args", "");
        record.put("HVM_boot_policy", "");
        record.put("HVM_boot_params", Map.of());
        record.put("platform", Map.of("acpi", "1", "apic", "1", "pae", "1", "nx", "0"));
        record.put("PCI_bus", "");
        record.put("other_config", Map.of("mac_seed", "d1a2", "owner", "ops"));
        record.put("domid", "12");
        record.put("is_control_domain", Boolean.FALSE);
        record.put("metrics", "b3f1a9e2-51e6-4b2c-9f70-77c7e1d4c001");
        record.put("guest_metrics", "c4a2b8d3-62f7-4c3d-8a81-88d8f2e5d002");
        record.put("resident_on", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
        record.put("affinity", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
        record.put("consoles", new Object[] {"d5b3c9e4-73a8-4d4e-9b92-99e9a3f6e003"});
        record.put("VIFs", new Object[] {"e6c4dae5-84b9-4e5f-8ca3-aafab4a7f004", "f7d5ebf6-95ca-4f60-9db4-bb0bc5b80005"});
        record.put("VBDs", new Object[] {"a8e6fc07-a6db-4071-8ec5-cc1cd6c91006", "b9f70d18-b7ec-4182-9fd6-dd2de7da2007"});
        record.put("crash_dumps", new Object[0]);
        record.put("VTPMs", new Object[0]);
        record.put("tools_version", Map.of("major", "3", "minor", "1"));
        record.put("allowed_operations", new Object[] {"clean_shutdown", "clean_reboot", "hard_shutdown",
                "hard_reboot", "pause", "suspend"});
        record.put("current_operations", Map.of());
        record.put("blocked_operations", Map.of());
        record.put("snapshots", new Object[0]);
        record.put("snapshot_of", "");
        record.put("snapshot_time", "19700101T00:00:00Z");
        record.put("transportable_snapshot_id", "");
        record.put("tags", new Object[] {"web", "production"});
        record.put("security_label", "");
        record.put("order", "0");
        record.put("start_delay", "0");
        record.put("shutdown_delay", "0");
        record.put("version", "0");
        record.put("generation_id", "");
        record.put("hardware_platform_version", "0");
        record.put("has_vendor_device", Boolean.FALSE);
        record.put("requires_reboot", Boolean.FALSE);
        record.put("reference_label", "");
        record.put("domain_type", "pv");
        record.put("NVRAM", Map.of());
        record.put("bios_strings", Map.of("bios-vendor", "Xen", "system-manufacturer", "Xen"));
        record.put("xenstore_data", Map.of("vm-data", "", "vm-data/mmio-hole-size", "268435456"));
        record.put("last_boot_CPU_flags", Map.of("vendor", "GenuineIntel",
                "features", "1fcbfbff-f7fa3223-2d93fbff-00000121-00000001-000007ab-00000000-00000000-00001000"));
        record.put("last_booted_record", "");
        if (record.size() != 63) {
            throw new AssertionError("the sample record must have 63 fields, has " + record.size());
        }
        return record;
    }
}
