#!/usr/bin/env python3
"""End-to-end check of the first vertical slice through Python's stdlib xmlrpc.client.

Phase "first" runs against a fresh daemon and leaves one managed, Halted VM behind;
phase "second" runs after the daemon was stopped with SIGTERM and started again on the same state.
Prints 'N passed, N failed' and exits non-zero on any failure.
"""
import argparse
import os
import sys
import time
import xmlrpc.client

from xenapi_checks import DOM0, check, error, summary, unexpected, value, wait_task


def first(proxy, args):
    s2 = value(proxy.session.login_with_password("root", args.password))
    s4 = value(proxy.session.login_with_password("root", args.password, "1.0", "e2e-test"))
    check("login with 2 arguments", isinstance(s2, str) and len(s2) == 36, s2)
    check("login with 4 arguments", isinstance(s4, str) and s4 != s2, s4)
    check("wrong password", error(proxy.session.login_with_password("root", "wrong")) == ["SESSION_AUTHENTICATION_FAILED"])
    check("login with 1 argument",
          error(proxy.session.login_with_password("root")) ==
          ["MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password", "2", "1"])
    s = s2

    hosts = value(proxy.host.get_all(s))
    check("one host", len(hosts) == 1, hosts)
    host = value(proxy.host.get_record(s, hosts[0]))
    check("API_version_major is the string 1", host["API_version_major"] == "1", host["API_version_major"])
    check("API_version_minor is the string 0", host["API_version_minor"] == "0", host["API_version_minor"])
    check("session.get_this_host", value(proxy.session.get_this_host(s, s)) == hosts[0])
    check("Domain-0 is resident", DOM0 in host["resident_VMs"], host["resident_VMs"])

    dom0 = value(proxy.VM.get_record(s, DOM0))
    check("Domain-0 is Running", dom0["power_state"] == "Running", dom0["power_state"])
    check("Domain-0 is the control domain", dom0["is_control_domain"] is True)
    check("Domain-0 domid is 0", dom0["domid"] == "0", dom0["domid"])

    check("bad session gets SESSION_INVALID",
          error(proxy.VM.get_all("not-a-session")) == ["SESSION_INVALID", "not-a-session"])
    bogus = "11111111-2222-3333-4444-555555555555"
    check("bad ref gets HANDLE_INVALID", error(proxy.VM.get_record(s, bogus)) == ["HANDLE_INVALID", "VM", bogus])
    check("wrong arity counts the session",
          error(proxy.VM.get_record(s, DOM0, "extra")) == ["MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_record", "2", "3"])
    check("unknown method", error(proxy.VM.no_such_call(s)) == ["MESSAGE_METHOD_UNKNOWN", "VM.no_such_call"])
    check("Domain-0 cannot be paused", error(proxy.VM.pause(s, DOM0)) == ["OPERATION_NOT_ALLOWED"])

    record = {
        "name_label": "e2e-guest",
        "name_description": "made by the end-to-end test",
        "memory_static_max": str(256 << 20), "memory_dynamic_max": str(256 << 20),
        "memory_dynamic_min": str(256 << 20), "memory_static_min": str(64 << 20),
        "VCPUs_max": "2", "VCPUs_at_startup": "2",
        "actions_after_shutdown": "destroy", "actions_after_reboot": "restart", "actions_after_crash": "restart",
        "PV_kernel": "/boot/vmlinuz-xenU", "PV_args": "root=/dev/xvda1 ro",
        "other_config": {"owner": "e2e", "purpose": "slice"},
        "an_unknown_key": "ignored",
    }
    vm = value(proxy.VM.create(s, record))
    rec = value(proxy.VM.get_record(s, vm))
    check("created VM is Halted", rec["power_state"] == "Halted", rec["power_state"])
    check("ints travel as strings", rec["memory_static_max"] == str(256 << 20) and rec["VCPUs_max"] == "2"
          and rec["domid"] == "-1", (rec["memory_static_max"], rec["VCPUs_max"], rec["domid"]))
    check("other_config intact", rec["other_config"] == {"owner": "e2e", "purpose": "slice"}, rec["other_config"])
    check("get_by_name_label returns a set", value(proxy.VM.get_by_name_label(s, "e2e-guest")) == [vm])
    config_file = os.path.join(args.state, "domains", vm, "config.sxp")
    # written behind the journal that made the change durable: it follows within moments
    deadline = time.time() + 5
    while not os.path.isfile(config_file) and time.time() < deadline:
        time.sleep(0.01)
    check("config.sxp written", os.path.isfile(config_file), config_file)

    value(proxy.VM.start(s, vm, False))
    rec = value(proxy.VM.get_record(s, vm))
    check("started VM is Running", rec["power_state"] == "Running", rec["power_state"])
    check("running VM has a domid > 0", int(rec["domid"]) > 0, rec["domid"])
    metrics = value(proxy.VM_metrics.get_record(s, rec["metrics"]))
    check("VM_metrics memory_actual follows the VM", metrics["memory_actual"] == str(256 << 20), metrics["memory_actual"])
    check("starting again gets VM_BAD_POWER_STATE",
          error(proxy.VM.start(s, vm, False)) == ["VM_BAD_POWER_STATE", vm, "Halted", "Running"])

    value(proxy.VM.pause(s, vm))
    check("paused", value(proxy.VM.get_power_state(s, vm)) == "Paused")
    value(proxy.VM.unpause(s, vm))
    check("unpaused", value(proxy.VM.get_power_state(s, vm)) == "Running")
    value(proxy.VM.clean_shutdown(s, vm))
    rec = value(proxy.VM.get_record(s, vm))
    check("clean_shutdown leads to Halted", rec["power_state"] == "Halted" and rec["domid"] == "-1",
          (rec["power_state"], rec["domid"]))

    task = value(proxy.Async.VM.start(s, vm, False))
    trec = wait_task(proxy, s, task)
    check("Async.VM.start task succeeds", trec["status"] == "success", trec)
    check("task progress is a float 1.0", trec["progress"] == 1.0, trec["progress"])
    check("task name is the call", trec["name_label"] == "VM.start", trec["name_label"])
    check("Async VM is Running", value(proxy.VM.get_power_state(s, vm)) == "Running")
    value(proxy.task.destroy(s, task))
    check("task.destroy removes it", error(proxy.task.get_record(s, task))[0] == "HANDLE_INVALID")
    value(proxy.VM.hard_shutdown(s, vm))
    check("hard_shutdown leads to Halted", value(proxy.VM.get_power_state(s, vm)) == "Halted")

    value(proxy.session.logout(s4))
    check("logged-out session is invalid", error(proxy.VM.get_all(s4)) == ["SESSION_INVALID", s4])
    with open(args.vm_file, "w") as f:
        f.write(vm)


def second(proxy, args):
    with open(args.vm_file) as f:
        vm = f.read().strip()
    s = value(proxy.session.login_with_password("root", args.password))
    rec = value(proxy.VM.get_record(s, vm))
    check("VM survived the restart", rec["uuid"] == vm)
    check("VM is Halted after the restart", rec["power_state"] == "Halted", rec["power_state"])
    check("other_config survived", rec["other_config"] == {"owner": "e2e", "purpose": "slice"}, rec["other_config"])
    check("name survived", rec["name_label"] == "e2e-guest", rec["name_label"])
    value(proxy.VM.destroy(s, vm))
    check("VM.destroy removes it", error(proxy.VM.get_record(s, vm)) == ["HANDLE_INVALID", "VM", vm])
    vm_dir = os.path.join(args.state, "domains", vm)
    deadline = time.time() + 5  # removed behind the journal that made the destroy durable
    while os.path.exists(vm_dir) and time.time() < deadline:
        time.sleep(0.01)
    check("its directory is gone", not os.path.exists(vm_dir))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--vm-file", required=True)
    p.add_argument("--phase", choices=["first", "second"], required=True)
    args = p.parse_args()
    proxy = xmlrpc.client.ServerProxy(args.url)
    try:
        (first if args.phase == "first" else second)(proxy, args)
    except Exception as e:  # report, then fail
        unexpected(e)
    sys.exit(summary())


if __name__ == "__main__":
    main()
