#!/usr/bin/python3
"""The libvirt baseline of the lifecycle benchmark: define -> create -> destroy -> undefine cycles through
python3-libvirt against libvirt's test driver, for a warm-up and then a measured window.

    /usr/bin/python3 libvirt_lifecycle.py --uri test:///default --clients 1 --warmup 3 --duration 10 --label inproc
    /usr/bin/python3 libvirt_lifecycle.py --uri 'test+unix:///default?socket=/dir/libvirt-sock' --clients 8 \\
        --server-pid 1234 --label libvirtd

Run it with Debian's /usr/bin/python3, which has the binding (Debian package python3-libvirt).
- With one client the cycles run in this process. With N > 1, N forked worker processes each open their own
  connection, so the clients do not take turns on one interpreter lock.
- A cycle counts when its four calls succeeded and it began and ended inside the window; each call's latency counts
  when the call lay inside the window. A failed call ends its cycle as an error and its domain is removed.
- With --server-pid, the daemon's CPU time over the window (/proc/<pid>/stat) is divided by the cycles.
The last line printed is machine-readable, in the same form as LifecycleLoadGenerator's:
RESULT label=... clients=... cps=... define_p50_us=... ...
"""
import argparse
import math
import multiprocessing
import os
import signal
import sys
import threading
import time

OPS = ("define", "create", "destroy", "undefine")
DOMAIN_XML = ("<domain type='test'><name>%s</name><memory unit='MiB'>%d</memory><vcpu>1</vcpu>"
              "<os><type>hvm</type></os><on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash></domain>")


def import_libvirt():
    try:
        import libvirt
    except ImportError:
        raise SystemExit("the libvirt binding is missing: install python3-libvirt and run this with /usr/bin/python3")
    # the binding prints every error to stderr as well as raising it; raising is enough
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    return libvirt


def process_cpu_ns(pid):
    """utime + stime of a process, and stime alone, in nanoseconds."""
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    tick_ns = 1_000_000_000 // os.sysconf("SC_CLK_TCK")
    user, system = int(fields[11]) * tick_ns, int(fields[12]) * tick_ns
    return user + system, system


def percentile(values, fraction):
    """Nearest rank; 0 when empty."""
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def remove(conn, libvirt, name):
    """Destroys (if running) and undefines a domain; true if it is gone."""
    try:
        dom = conn.lookupByName(name)
    except libvirt.libvirtError:
        return True
    try:
        if dom.isActive():
            dom.destroy()
    except libvirt.libvirtError:
        pass
    try:
        dom.undefine()
        return True
    except libvirt.libvirtError:
        return False


def run_client(uri, prefix, memory_mib, warmup_end, window_end):
    """Cycles until window_end (time.monotonic_ns()); returns what it measured."""
    libvirt = import_libvirt()
    conn = libvirt.open(uri)
    latencies = {op: [] for op in OPS}
    cycle_latencies = []
    out = {"cycles": 0, "total_cycles": 0, "errors": 0, "warmup_errors": 0, "last_error": None, "leftovers": 0}
    cpu_start = cpu_end = None
    sequence = 0
    try:
        while True:
            t0 = time.monotonic_ns()
            if t0 >= window_end:
                break
            if cpu_start is None and t0 >= warmup_end:
                cpu_start = time.process_time_ns()
            sequence += 1
            name = "%s-%d" % (prefix, sequence)
            call_times = []
            try:
                start = time.monotonic_ns()
                dom = conn.defineXML(DOMAIN_XML % (name, memory_mib))
                call_times.append(("define", start, time.monotonic_ns()))
                start = call_times[-1][2]
                dom.create()
                call_times.append(("create", start, time.monotonic_ns()))
                start = call_times[-1][2]
                dom.destroy()
                call_times.append(("destroy", start, time.monotonic_ns()))
                start = call_times[-1][2]
                dom.undefine()
                call_times.append(("undefine", start, time.monotonic_ns()))
            except libvirt.libvirtError as e:
                out["last_error"] = "%s: %s" % (OPS[len(call_times)], e.get_error_message())
                out["warmup_errors" if t0 < warmup_end else "errors"] += 1
                if not remove(conn, libvirt, name):
                    out["leftovers"] += 1
                continue
            t1 = call_times[-1][2]
            out["total_cycles"] += 1
            if t0 >= warmup_end and t1 <= window_end:
                out["cycles"] += 1
                cycle_latencies.append(t1 - t0)
                for op, a, b in call_times:
                    latencies[op].append(b - a)
            elif t0 >= warmup_end:
                # the cycle overran the window: its calls that lay inside still count
                for op, a, b in call_times:
                    if b <= window_end:
                        latencies[op].append(b - a)
        cpu_end = time.process_time_ns()
    finally:
        conn.close()
    out["client_cpu_ns"] = cpu_end - cpu_start if cpu_start is not None and cpu_end is not None else -1
    out["latencies"] = latencies
    out["cycle_latencies"] = cycle_latencies
    return out


def worker_main(queue, *args):
    try:
        queue.put(run_client(*args))
    except Exception as e:  # reported to the parent, which fails the run
        queue.put({"fatal": "%s: %s" % (type(e).__name__, e)})


def probe(uri, prefix, memory_mib):
    """One cycle before any load, so a wrong URI or a dead daemon is reported plainly."""
    libvirt = import_libvirt()
    try:
        conn = libvirt.open(uri)
    except libvirt.libvirtError as e:
        raise SystemExit("cannot connect to %s: %s" % (uri, e.get_error_message()))
    try:
        if conn.getType() != "TEST":
            raise SystemExit("%s is a %s driver, not libvirt's test driver" % (uri, conn.getType()))
        name = prefix + "-probe"
        try:
            dom = conn.defineXML(DOMAIN_XML % (name, memory_mib))
            dom.create()
            dom.destroy()
            dom.undefine()
        except libvirt.libvirtError as e:
            remove(conn, libvirt, name)
            raise SystemExit("the first cycle failed: %s" % e.get_error_message())
    finally:
        conn.close()


def leftover_domains(uri, prefix):
    """Removes what failed cycles left behind; returns how many domains remain."""
    libvirt = import_libvirt()
    conn = libvirt.open(uri)
    try:
        names = [d.name() for d in conn.listAllDomains() if d.name().startswith(prefix + "-")]
        return sum(0 if remove(conn, libvirt, n) else 1 for n in names)
    finally:
        conn.close()


class ServerCpuSampler:
    """Reads a process's CPU time when the window opens and when it closes, on a thread of its own."""

    def __init__(self, pid, warmup_end, window_end):
        self.pid, self.warmup_end, self.window_end = pid, warmup_end, window_end
        self.samples = []
        self.thread = threading.Thread(target=self._sample, name="server-cpu", daemon=True)
        self.thread.start()

    def _sample(self):
        for moment in (self.warmup_end, self.window_end):
            time.sleep(max(0.0, (moment - time.monotonic_ns()) / 1e9))
            self.samples.append(process_cpu_ns(self.pid))

    def result(self):
        """(total, system) nanoseconds over the window, or None if the process could not be read."""
        self.thread.join(5)
        if len(self.samples) != 2:
            return None
        (total0, system0), (total1, system1) = self.samples
        return total1 - total0, system1 - system0


def micros(ns):
    return ns / 1000.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uri", required=True, help="test:///default, or test+unix:///default?socket=PATH")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--label", default="libvirt")
    parser.add_argument("--server-pid", type=int, default=-1)
    parser.add_argument("--memory-mib", type=int, default=64)
    args = parser.parse_args()
    if not args.uri.startswith("test:///") and not args.uri.startswith("test+unix:///"):
        parser.error("only the test driver, in process or over a Unix socket, is measured")
    if not 1 <= args.clients <= 256 or args.duration <= 0 or args.warmup < 0 or args.warmup + args.duration > 4200:
        parser.error("clients must be 1-256, duration > 0, warm-up >= 0, and the run at most 4200 s")
    if not args.label.replace("-", "").replace("_", "").replace(".", "").isalnum():
        parser.error("--label must be a single word")

    # a TERM from the benchmark script unwinds normally, so the worker processes are stopped with this one
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    prefix = "lifebench-%s-%d" % (args.label, os.getpid())
    probe(args.uri, prefix, args.memory_mib)

    warmup_end = time.monotonic_ns() + int(args.warmup * 1e9)
    window_end = warmup_end + int(args.duration * 1e9)
    sampler = ServerCpuSampler(args.server_pid, warmup_end, window_end) if args.server_pid > 0 else None
    if args.clients == 1:
        results = [run_client(args.uri, prefix + "-c0", args.memory_mib, warmup_end, window_end)]
    else:
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        workers = [context.Process(target=worker_main, daemon=True,
                                   args=(queue, args.uri, "%s-c%d" % (prefix, i), args.memory_mib, warmup_end,
                                         window_end))
                   for i in range(args.clients)]
        for w in workers:
            w.start()
        try:
            # the window plus a generous minute for the cycles in flight
            timeout = (window_end - time.monotonic_ns()) / 1e9 + 60
            results = [queue.get(timeout=max(1.0, timeout)) for _ in workers]
        except BaseException:
            for w in workers:
                w.terminate()
            raise
        for w in workers:
            w.join(5)
            if w.is_alive():
                w.terminate()
        fatal = [r["fatal"] for r in results if "fatal" in r]
        if fatal:
            raise SystemExit("a client failed: " + fatal[0])
    server_cpu = sampler.result() if sampler else None

    cycles = sum(r["cycles"] for r in results)
    seconds = args.duration
    latencies = {op: [v for r in results for v in r["latencies"][op]] for op in OPS}
    cycle_latencies = [v for r in results for v in r["cycle_latencies"]]
    errors = sum(r["errors"] for r in results)
    warmup_errors = sum(r["warmup_errors"] for r in results)
    total_cycles = sum(r["total_cycles"] for r in results) + 1  # and the probe
    client_cpu = [r["client_cpu_ns"] for r in results]
    last_error = next((r["last_error"] for r in results if r["last_error"]), None)
    leftovers = leftover_domains(args.uri, prefix) if any(r["leftovers"] for r in results) else 0

    def per_cycle(ns):
        return ns / 1000.0 / cycles if ns is not None and ns >= 0 and cycles else -1

    client_cpu_total = sum(client_cpu) if all(c >= 0 for c in client_cpu) else -1
    cps = cycles / seconds
    summary = ("%s, %d client(s): %.1f cycles/s over %.1f s (%d cycles, %d errors); cycle p50 %.2f ms, p99 %.2f ms;"
               " per call p50/p99 in ms:" % (args.label, args.clients, cps, seconds, cycles, errors,
                                             percentile(cycle_latencies, 0.5) / 1e6,
                                             percentile(cycle_latencies, 0.99) / 1e6))
    for op in OPS:
        summary += " %s %.2f/%.2f" % (op, percentile(latencies[op], 0.5) / 1e6, percentile(latencies[op], 0.99) / 1e6)
    if server_cpu is not None:
        summary += "; server CPU %.0f µs/cycle (%.0f in the kernel)" % (per_cycle(server_cpu[0]),
                                                                        per_cycle(server_cpu[1]))
    summary += "; client CPU %.0f µs/cycle" % per_cycle(client_cpu_total)
    if leftovers:
        summary += "; %d domain(s) left behind" % leftovers
    if last_error:
        summary += "; last error: " + last_error
    print(summary)

    line = ("RESULT label=%s clients=%d seconds=%.3f cycles=%d cps=%.1f cycle_p50_us=%.1f cycle_p99_us=%.1f ops=%s"
            % (args.label, args.clients, seconds, cycles, cps, micros(percentile(cycle_latencies, 0.5)),
               micros(percentile(cycle_latencies, 0.99)), ",".join(OPS)))
    for op in OPS:
        line += " %s_p50_us=%.1f %s_p99_us=%.1f" % (op, micros(percentile(latencies[op], 0.5)), op,
                                                    micros(percentile(latencies[op], 0.99)))
    line += (" errors=%d warmup_errors=%d total_cycles=%d leftover_vms=%d server_cpu_us=%.1f server_sys_us=%.1f"
             " client_cpu_us=%.1f" % (errors, warmup_errors, total_cycles, leftovers,
                                      per_cycle(server_cpu[0] if server_cpu else None),
                                      per_cycle(server_cpu[1] if server_cpu else None), per_cycle(client_cpu_total)))
    print(line)
    sys.stdout.flush()
    return 0 if cycles > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
