#!/usr/bin/env python3
"""Migration between two running daemons, driven through Python's stdlib xmlrpc.client.

  migration.py --source URL --source-password PW --dest URL --dest-password PW --dest-port N

Three VMs are created and started on the source through the Xen API; the first goes over with the legacy
xend.domain.migrate (answered on the Xen API port, as Xend did), the second with VM.migrate (live, port in its
options), the third with Async.VM.migrate. Each must then be Running on the destination with its uuid, name and
memory, and gone from the source's running domains (a managed VM stays defined there, Halted). Prints
'N passed, N failed' and exits non-zero on any failure.
"""
import argparse
import sys
import xmlrpc.client

from xenapi_checks import check, summary, value, wait_task


def login(url, password):
    proxy = xmlrpc.client.ServerProxy(url)
    return proxy, value(proxy.session.login_with_password("root", password))


def vm_record(name, mib):
    size = str(mib << 20)
    return {
        "name_label": name, "name_description": "migrates",
        "user_version": "1", "is_a_template": False, "auto_power_on": False,
        "memory_static_max": size, "memory_dynamic_max": size, "memory_dynamic_min": size, "memory_static_min": "0",
        "VCPUs_max": "1", "VCPUs_at_startup": "1", "VCPUs_params": {},
        "actions_after_shutdown": "destroy", "actions_after_reboot": "restart", "actions_after_crash": "preserve",
        "PV_bootloader": "", "PV_kernel": "/boot/vmlinuz-2.6.18-xen", "PV_ramdisk": "", "PV_args": "",
        "PV_bootloader_args": "", "HVM_boot_policy": "", "HVM_boot_params": {}, "platform": {}, "PCI_bus": "",
        "other_config": {},
    }


def started_vm(proxy, session, name, mib):
    vm = value(proxy.VM.create(session, vm_record(name, mib)))
    value(proxy.VM.start(session, vm, False))
    return vm


def arrived(source, source_session, dest, dest_session, vm, name, mib, how):
    record = value(dest.VM.get_record(dest_session, vm))
    check(how + ": Running on the destination", record["power_state"] == "Running", record["power_state"])
    check(how + ": same uuid", record["uuid"] == vm, record["uuid"])
    check(how + ": same name", record["name_label"] == name, record["name_label"])
    check(how + ": same memory", record["memory_static_max"] == str(mib << 20), record["memory_static_max"])
    check(how + ": has a domain there", int(record["domid"]) > 0, record["domid"])
    metrics = value(dest.VM_metrics.get_record(dest_session, record["metrics"]))
    check(how + ": its memory is allocated there", metrics["memory_actual"] == str(mib << 20),
          metrics["memory_actual"])
    running = source.xend.domains(False)
    check(how + ": gone from the source's running domains", name not in running, running)
    left = value(source.VM.get_record(source_session, vm))
    check(how + ": defined on the source, Halted", left["power_state"] == "Halted", left["power_state"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--source-password", required=True)
    parser.add_argument("--dest", required=True)
    parser.add_argument("--dest-password", required=True)
    parser.add_argument("--dest-port", type=int, required=True)
    args = parser.parse_args()

    source, source_session = login(args.source, args.source_password)
    dest, dest_session = login(args.dest, args.dest_password)

    legacy = started_vm(source, source_session, "mig-legacy", 64)
    result = source.xend.domain.migrate("mig-legacy", "127.0.0.1", 0, 0, args.dest_port)
    check("xend.domain.migrate returns ''", result == "", result)
    arrived(source, source_session, dest, dest_session, legacy, "mig-legacy", 64, "xend.domain.migrate")

    live = started_vm(source, source_session, "mig-live", 96)
    value(source.VM.migrate(source_session, live, "127.0.0.1", True, {"port": str(args.dest_port)}))
    arrived(source, source_session, dest, dest_session, live, "mig-live", 96, "VM.migrate live")

    later = started_vm(source, source_session, "mig-async", 64)
    task = value(source.Async.VM.migrate(source_session, later, "localhost", False, {"port": str(args.dest_port)}))
    record = wait_task(source, source_session, task, timeout=120)
    check("Async.VM.migrate succeeds", record["status"] == "success", record)
    arrived(source, source_session, dest, dest_session, later, "mig-async", 64, "Async.VM.migrate")

    failure = source.VM.migrate(source_session, legacy, "127.0.0.1", False, {"port": str(args.dest_port)})
    check("a Halted VM does not migrate",
          failure.get("ErrorDescription", [None])[0] == "VM_BAD_POWER_STATE", failure)

    return summary()


if __name__ == "__main__":
    sys.exit(main())
