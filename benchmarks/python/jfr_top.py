#!/usr/bin/env python3
"""Where a JVM spent its samples, from a JFR recording (the JDK's `jfr` tool must be on the PATH).

    jfr_top.py recording.jfr [--top 25] [--filter org.xend]

Prints, for jdk.ExecutionSample (threads running Java code) and jdk.NativeMethodSample (threads inside native code):
the methods most often on top of the stack (self time) and the methods most often anywhere on the stack (inclusive
time), as a share of the samples. Native samples include threads merely blocked in accept, poll or epoll, which use
no CPU; time spent in the kernel is seen by neither event (compare utime and stime in /proc/<pid>/stat for that).
"""
import argparse
import json
import subprocess
import sys
from collections import Counter


def frame_name(frame):
    method = frame.get("method", {})
    owner = method.get("type", {}).get("name", "?")
    return "%s.%s" % (owner.replace("/", "."), method.get("name", "?"))


def samples(path, event):
    out = subprocess.run(["jfr", "print", "--json", "--events", event, path], check=True, capture_output=True,
                         text=True).stdout
    data = json.loads(out)
    for e in data.get("recording", {}).get("events", []):
        stack = e.get("values", {}).get("stackTrace") or {}
        frames = [frame_name(f) for f in stack.get("frames", [])]
        thread = (e.get("values", {}).get("sampledThread") or {}).get("javaName") or "?"
        if frames:
            yield thread, frames


def report(path, event, top, name_filter):
    self_counts = Counter()
    inclusive = Counter()
    threads = Counter()
    total = 0
    for thread, frames in samples(path, event):
        total += 1
        self_counts[frames[0]] += 1
        for name in set(frames):
            inclusive[name] += 1
        threads[thread.rstrip("0123456789-")] += 1
    print("## %s: %d samples" % (event, total))
    if total == 0:
        print()
        return
    print()
    print("Threads (by name prefix): " + ", ".join("%s %.0f%%" % (t, 100.0 * n / total)
                                                  for t, n in threads.most_common(8)))
    print()
    print("Self (top of stack):")
    for name, n in self_counts.most_common(top):
        print("  %5.1f%%  %s" % (100.0 * n / total, name))
    print()
    print("Inclusive (anywhere on the stack)%s:" % (" matching " + name_filter if name_filter else ""))
    shown = 0
    for name, n in inclusive.most_common():
        if name_filter and name_filter not in name:
            continue
        print("  %5.1f%%  %s" % (100.0 * n / total, name))
        shown += 1
        if shown >= top:
            break
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--filter", default="", help="only list inclusive methods whose name contains this")
    args = parser.parse_args()
    for event in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
        report(args.recording, event, args.top, args.filter)
    return 0


if __name__ == "__main__":
    sys.exit(main())
