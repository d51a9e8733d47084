#!/usr/bin/env python3
"""End-to-end check of Xen API events and tasks through Python's stdlib xmlrpc.client.

  event.from   a VM's power-state change arrives as one coalesced 'mod' event whose snapshot shows the new
               power_state; 'class/ref' subscriptions see only their object; tokens round-trip; the call returns
               empty at its timeout; bad tokens and subscriptions get their codes
  event.next   SESSION_NOT_REGISTERED, delivery after event.register, more changes than the session's queue
               holds give EVENTS_LOST and the queue restarts from the present, a blocked call ends with
               SESSION_INVALID when its session logs out
  task         task.create / cancel / destroy rules, an Async call watched through task.get_record and through
               event.from on 'task/<ref>', and task.cancel on a running long operation

The daemon must run with an event.next queue of --queue-length events, and with simulated guests that take at
least a second to answer a shutdown or suspend request (the long operation that gets cancelled).
Prints 'N passed, N failed' and exits non-zero on any failure; lines starting with 'note' are observations.
"""
import argparse
import re
import sys
import threading
import time
import xmlrpc.client

from xenapi_checks import DOM0, check, error, summary, value, wait_task

TOKEN_FORM = re.compile(r"^\d{20},\d{20}$")
# Every blocking call here is bounded; a socket timeout ends the script instead of hanging it.
SOCKET_TIMEOUT = 60


def note(text):
    print("note " + text)


class TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = SOCKET_TIMEOUT
        return conn


def proxy(url):
    """One proxy per thread: xmlrpc.client keeps one HTTP connection per proxy."""
    return xmlrpc.client.ServerProxy(url, transport=TimeoutTransport(), allow_none=False)


def event_from(p, session, classes, token, timeout):
    return getattr(p.event, "from")(session, classes, token, timeout)


def new_vm(p, s, name):
    record = {
        "name_label": name, "name_description": "made by xenapi_events.py",
        "memory_static_max": str(64 << 20), "memory_dynamic_max": str(64 << 20),
        "memory_dynamic_min": str(64 << 20), "memory_static_min": str(32 << 20),
        "VCPUs_max": "1", "VCPUs_at_startup": "1",
        "actions_after_shutdown": "destroy", "actions_after_reboot": "restart", "actions_after_crash": "destroy",
        "PV_kernel": "/boot/vmlinuz-xenU", "PV_args": "root=/dev/xvda1 ro", "other_config": {},
    }
    return value(p.VM.create(s, record))


# ---- event.from ----

def event_from_checks(url, p, s):
    vm = new_vm(p, s, "events-watched")
    other = new_vm(p, s, "events-bystander")

    full = value(event_from(p, s, ["vm"], "", 0.0))
    check("event.from with the empty token returns a token of the documented form",
          TOKEN_FORM.match(full["token"]) is not None, full["token"])
    adds = {e["ref"]: e for e in full["events"]}
    check("the empty token gives every VM as an 'add'",
          {DOM0, vm, other} <= set(adds) and all(e["operation"] == "add" for e in full["events"]), sorted(adds))
    watched = adds.get(vm, {})
    check("an event record carries class, ref, obj_uuid, id, timestamp and the snapshot",
          watched.get("class") == "vm" and watched.get("obj_uuid") == vm
          and watched.get("id", "").isdigit() and isinstance(watched.get("timestamp"), xmlrpc.client.DateTime)
          and watched.get("snapshot", {}).get("name_label") == "events-watched", watched)
    check("valid_ref_counts counts the VMs as a string",
          full.get("valid_ref_counts", {}).get("vm") == str(len(adds)), full.get("valid_ref_counts"))
    token = full["token"]

    # Early return: nothing changes on this VM, so the call ends empty at its timeout, with a token to go on from.
    t0 = time.monotonic()
    quiet = value(event_from(p, s, ["vm/" + vm], token, 1.0))
    waited = time.monotonic() - t0
    check("event.from returns empty when its timeout passes", quiet["events"] == [], quiet["events"])
    check("... after the timeout, not long after (%.2f s for 1 s)" % waited, 0.9 <= waited < 5.0, waited)
    check("the returned token is accepted again (round trip)",
          value(event_from(p, s, ["vm/" + vm], quiet["token"], 0.0))["events"] == [])
    check("tokens only grow", quiet["token"] >= token, (token, quiet["token"]))

    # A second client blocks on vm/<ref>; another VM's change must not end its wait.
    result = {}

    def watch():
        q = proxy(url)
        seen = []
        since = token
        deadline = time.time() + 30
        try:
            while time.time() < deadline:
                batch = value(event_from(q, s, ["vm/" + vm], since, 10.0))
                since = batch["token"]
                seen.extend(batch["events"])
                result["batches"] = result.get("batches", 0) + 1
                if any(e["snapshot"].get("power_state") == "Running" for e in batch["events"]):
                    result["arrived"] = time.monotonic()
                    break
        except Exception as e:  # reported by the main thread
            result["error"] = e
        result["events"] = seen
        result["token"] = since

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    value(p.VM.set_name_description(s, other, "a change nobody watches"))
    time.sleep(0.5)
    check("a change to another VM does not end a wait on vm/<ref>",
          watcher.is_alive() and "events" not in result, result)
    started = time.monotonic()
    value(p.VM.start(s, vm, False))
    watcher.join(35)
    check("the watcher saw the VM reach Running", "arrived" in result and "error" not in result, result)
    events = result.get("events", [])
    check("a class/ref subscription delivers only that object", all(e["ref"] == vm for e in events),
          [e["ref"] for e in events])
    mods = [e for e in events if e["operation"] == "mod"]
    running = [e for e in mods if e["snapshot"].get("power_state") == "Running"]
    check("the power-state change is a 'mod' whose snapshot says Running",
          len(running) == 1 and running[0]["class"] == "vm", events)
    if running:
        snap = running[0]["snapshot"]
        check("the snapshot is a whole record (domid set, ints as strings)",
              snap.get("domid", "-1") not in ("-1", "") and snap.get("uuid") == vm
              and snap.get("memory_static_max") == str(64 << 20), snap)
    if "arrived" in result:
        note("power-state change delivered %.1f ms after VM.start was sent, in %d batch(es)"
             % ((result["arrived"] - started) * 1000, result.get("batches", 0)))

    # Coalescing: VM.start changed the record several times (power_state, domid, current_operations...), and
    # reading from the old token gives one event per object.
    since_start = value(event_from(p, s, ["VM"], token, 0.0))
    per_ref = {}
    for e in since_start["events"]:
        per_ref[e["ref"]] = per_ref.get(e["ref"], 0) + 1
    check("several updates to one object come back as one event (class names in any case)",
          per_ref.get(vm) == 1 and per_ref.get(other) == 1, per_ref)
    by_ref = {e["ref"]: e for e in since_start["events"]}
    check("that event carries the latest snapshot",
          by_ref.get(vm, {}).get("snapshot", {}).get("power_state") == "Running", by_ref.get(vm))

    # A removed object is one 'del' with its last snapshot.
    before_del = since_start["token"]
    value(p.VM.destroy(s, other))
    gone = value(event_from(p, s, ["vm"], before_del, 5.0))
    dels = [e for e in gone["events"] if e["ref"] == other]
    check("VM.destroy gives one 'del' with the last snapshot",
          len(dels) == 1 and dels[0]["operation"] == "del"
          and dels[0]["snapshot"].get("name_description") == "a change nobody watches", gone["events"])

    # event.inject and get_current_id.
    current = value(p.event.get_current_id(s))
    check("event.get_current_id is an int as a string", isinstance(current, str) and current.isdigit(), current)
    mark = value(p.event.inject(s, "VM", vm))
    injected = value(event_from(p, s, ["vm/" + vm], gone["token"], 5.0))
    check("event.inject returns a token and makes a 'mod' on the object",
          TOKEN_FORM.match(mark) is not None and [e["operation"] for e in injected["events"]] == ["mod"],
          (mark, injected["events"]))
    check("event.from's token has reached the injected one", injected["token"] >= mark, (injected["token"], mark))

    check("a malformed token gets EVENT_FROM_TOKEN_PARSE_FAILURE",
          error(event_from(p, s, ["vm"], "not-a-token", 0.0)) == ["EVENT_FROM_TOKEN_PARSE_FAILURE", "not-a-token"])
    check("an unknown class gets EVENT_SUBSCRIPTION_PARSE_FAILURE",
          error(event_from(p, s, ["no_such_class"], "", 0.0))
          == ["EVENT_SUBSCRIPTION_PARSE_FAILURE", "no_such_class"])
    return vm


# ---- event.register / next ----

def event_next_checks(url, p, root, password, queue_length, vm):
    s = value(p.session.login_with_password("root", password, "1.0", "events-next"))
    check("event.next before event.register gets SESSION_NOT_REGISTERED",
          error(p.event.next(s)) == ["SESSION_NOT_REGISTERED", s])
    value(p.event.register(s, ["vm"]))
    value(p.VM.set_name_description(s, vm, "seen by event.next"))
    first = value(p.event.next(s))
    check("event.next after register delivers the change",
          [(e["operation"], e["ref"]) for e in first] == [("mod", vm)]
          and first[0]["snapshot"]["name_description"] == "seen by event.next", first)

    # More distinct objects change than the queue holds: the session's queue overflows.
    made = [new_vm(p, s, "events-overflow-%d" % i) for i in range(queue_length + 3)]
    lost = error(p.event.next(s))
    check("%d changes for a queue of %d give EVENTS_LOST" % (len(made), queue_length), lost == ["EVENTS_LOST"],
          lost)
    # The queue restarts from the present: the next call sees only what changes after the loss.
    value(p.VM.set_name_description(s, made[0], "after the loss"))
    after = value(p.event.next(s))
    check("after EVENTS_LOST the queue restarts from the present",
          [(e["operation"], e["ref"]) for e in after] == [("mod", made[0])], after)
    # Exactly a queue's worth is not an overflow.
    for ref in made[:queue_length]:
        value(p.VM.set_name_description(s, ref, "a full queue"))
    full = p.event.next(s)
    check("a queue holding exactly %d events delivers them" % queue_length,
          full.get("Status") == "Success" and len(full["Value"]) == queue_length, full)

    # A call blocked in event.next ends when its session does.
    blocked = {}
    value(p.event.unregister(s, ["vm"]))
    value(p.event.register(s, ["pool"]))

    def wait_next():
        try:
            blocked["response"] = proxy(url).event.next(s)
        except Exception as e:  # reported by the main thread
            blocked["response"] = {"exception": repr(e)}

    waiter = threading.Thread(target=wait_next, daemon=True)
    waiter.start()
    time.sleep(0.5)
    check("event.next blocks while nothing it is registered for changes", waiter.is_alive(), blocked)
    value(p.session.logout(s))
    waiter.join(15)
    check("logging the session out ends its blocked event.next with SESSION_INVALID",
          not waiter.is_alive() and error(blocked.get("response", {})) == ["SESSION_INVALID", s], blocked)
    for ref in made:
        value(p.VM.destroy(root, ref))


# ---- tasks ----

def task_checks(url, p, s, vm):
    t = value(p.task.create(s, "e2e-client-task", "made by xenapi_events.py"))
    rec = value(p.task.get_record(s, t))
    check("task.create makes a pending task of the caller's session",
          rec["status"] == "pending" and rec["session"] == s and rec["name_label"] == "e2e-client-task"
          and rec["progress"] == 0.0, rec)
    check("a client's own task has nothing to cancel: OPERATION_NOT_ALLOWED",
          error(p.task.cancel(s, t)) == ["OPERATION_NOT_ALLOWED"], rec["allowed_operations"])
    value(p.task.destroy(s, t))
    check("task.destroy removes a client's task",
          error(p.task.get_record(s, t)) == ["HANDLE_INVALID", "task", t])

    # An Async call watched two ways: by polling task.get_record, and by event.from on the task.
    halted = new_vm(p, s, "events-async")
    task = value(p.Async.VM.start(s, halted, False))
    seen_by_event = {}

    def follow():
        q = proxy(url)
        token = ""
        deadline = time.time() + 30
        while time.time() < deadline:
            batch = value(event_from(q, s, ["task/" + task], token, 10.0))
            token = batch["token"]
            for e in batch["events"]:
                seen_by_event.setdefault("statuses", []).append(e["snapshot"]["status"])
            if seen_by_event.get("statuses", [None])[-1] == "success":
                return

    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    polled = []
    deadline = time.time() + 30
    while time.time() < deadline:
        rec = value(p.task.get_record(s, task))
        polled.append((rec["status"], rec["progress"]))
        if rec["status"] != "pending":
            break
        time.sleep(0.01)
    check("Async.VM.start observed through task.get_record until success",
          rec["status"] == "success" and rec["progress"] == 1.0 and rec["name_label"] == "VM.start"
          and rec["error_info"] == [], rec)
    check("progress is a float throughout", all(isinstance(pr, float) for _, pr in polled), polled)
    check("the VM it started is Running", value(p.VM.get_power_state(s, halted)) == "Running")
    follower.join(35)
    check("event.from on task/<ref> follows the task to success",
          seen_by_event.get("statuses", [None])[-1] == "success", seen_by_event)

    failing = value(p.Async.VM.start(s, halted, False))
    frec = wait_task(p, s, failing)
    check("an Async call that fails ends in failure with its error",
          frec["status"] == "failure" and frec["error_info"][:1] == ["VM_BAD_POWER_STATE"], frec)
    value(p.task.destroy(s, failing))

    # Cancelling a long operation: the guest takes its time to answer the suspend request.
    long_task = value(p.Async.VM.suspend(s, halted))
    time.sleep(0.2)
    running = value(p.task.get_record(s, long_task))
    check("a running Async task offers Cancel", running["status"] == "pending"
          and running["allowed_operations"] == ["Cancel"], running)
    check("a running task cannot be destroyed", error(p.task.destroy(s, long_task)) == ["OPERATION_NOT_ALLOWED"])
    value(p.task.cancel(s, long_task))
    asked = value(p.task.get_record(s, long_task))
    check("task.cancel marks it cancelling (or it has already ended)",
          asked["status"] in ("cancelling", "cancelled", "success", "failure")
          and asked["allowed_operations"] == [], asked)
    if asked["status"] == "cancelling":
        check("a second cancel is refused", error(p.task.cancel(s, long_task)) == ["OPERATION_NOT_ALLOWED"])
    final = wait_task(p, s, long_task)
    check("the cancelled task ends: cancelled with TASK_CANCELLED, or done if the operation ran on",
          (final["status"] == "cancelled" and final["error_info"][:1] == ["TASK_CANCELLED"])
          or final["status"] in ("success", "failure"), final)
    note("task.cancel during Async.VM.suspend ended the task '%s' (the VM is %s)"
         % (final["status"], value(p.VM.get_power_state(s, halted))))
    check("a finished task can be destroyed", value(p.task.destroy(s, long_task)) == "")
    check("... and is gone", error(p.task.get_record(s, long_task))[0] == "HANDLE_INVALID")
    state = value(p.VM.get_power_state(s, halted))
    if state == "Suspended":
        value(p.VM.hard_shutdown(s, halted))
    elif state in ("Running", "Paused"):
        value(p.VM.hard_shutdown(s, halted))
    value(p.task.destroy(s, task))
    value(p.VM.destroy(s, halted))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--queue-length", type=int, required=True,
                        help="the daemon's eventQueueLength (PID org.xend.core)")
    args = parser.parse_args()
    p = proxy(args.url)
    s = value(p.session.login_with_password("root", args.password, "1.0", "events-e2e"))
    vm = event_from_checks(args.url, p, s)
    event_next_checks(args.url, p, s, args.password, args.queue_length, vm)
    task_checks(args.url, p, s, vm)
    value(p.VM.hard_shutdown(s, vm))
    value(p.VM.destroy(s, vm))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
