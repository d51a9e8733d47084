"""What the Xen API client scripts in this directory share: the tally of checks they print, and the Xen API's
Success/Failure envelope.

The scripts run as 'python3 <this directory>/<script>.py', which puts this directory first on sys.path, so they
import this module by name.
"""
import time

DOM0 = "00000000-0000-0000-0000-000000000000"

_tally = {"passed": 0, "failed": 0}


def check(label, condition, detail=""):
    """Counts and prints one check: 'ok   label', or 'FAIL label: detail'."""
    if condition:
        _tally["passed"] += 1
        print("ok   " + label)
    else:
        _tally["failed"] += 1
        print("FAIL " + label + (": " + str(detail) if detail else ""))


def unexpected(exception):
    """An exception that cut the checks short counts as one failure."""
    _tally["failed"] += 1
    print("FAIL unexpected: %r" % (exception,))


def summary():
    """Prints 'N passed, N failed' and returns the exit status: 1 when any check failed."""
    print("%d passed, %d failed" % (_tally["passed"], _tally["failed"]))
    return 1 if _tally["failed"] else 0


def value(response):
    """The Value of a Success; a Failure raises."""
    if response.get("Status") != "Success":
        raise AssertionError("call failed: %r" % (response,))
    return response["Value"]


def error(response):
    """The ErrorDescription of a Failure, or a list that compares unequal to any when the call succeeded."""
    if response.get("Status") != "Failure":
        return ["<no failure>", response]
    return response["ErrorDescription"]


def wait_task(proxy, session, task, timeout=30):
    """The task's record once it has ended (neither pending nor cancelling); raises after timeout seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        rec = value(proxy.task.get_record(session, task))
        if rec["status"] not in ("pending", "cancelling"):
            return rec
        time.sleep(0.02)
    raise AssertionError("task %s did not finish" % task)
