#!/usr/bin/env bash
# Measures VM lifecycle throughput: the Xend daemon's create -> start -> hard_shutdown -> destroy through the Xen API
# (create and destroy are forced to disk before they return; start and hard_shutdown reach the simulated
# hypervisor's table, which survives the daemon but not a reboot of the host, as Xen's domains), against libvirt's
# test driver doing
# define -> create -> destroy -> undefine through python3-libvirt, in process and through a libvirtd this script
# starts on a private Unix socket. Prints the tables of docs/PERFORMANCE.md. One command, bounded in time; every
# process it starts is stopped on exit, even on failure. Loopback TCP and Unix sockets only.
#
#   mvn -B -DskipTests install          # once: the bundles and karaf-distribution/target/assembly
#   benchmarks/run-lifecycle.sh         # about 6 minutes with the defaults, 8 with --diagnose
#
# Systems, measured in every round (rounds rotate their order):
#   daemon    the assembly started with bin/karaf server (a copy, with its own state directory and ports), over
#             its Unix socket <socketDir>/xen-api.sock, the transport libvirtd is measured on,
#             driven by LifecycleLoadGenerator (Java, one keep-alive connection and one session per client)
#   libvirtd  libvirtd with the test driver, unprivileged (as nobody when run as root), on a Unix socket in the work
#             directory; benchmarks/python/libvirt_lifecycle.py with one connection per client process
#   inproc    libvirt_lifecycle.py against test:///default in its own process, 1 client only
#   daemon-tcp  the same daemon over HTTP on loopback TCP (Nagle off), as remote clients reach it
#
# Options:
#   --rounds N         rounds (default 3)            --warmup S    seconds before each measurement (default 3)
#   --duration S       measured seconds (default 10) --clients "1 8"
#   --systems "daemon daemon-tcp libvirtd inproc"
#   --prime S          seconds of unrecorded daemon load before round 1, so its JIT has compiled the cycle's code
#                      (default 30; a fresh JVM spends more CPU compiling than serving)
#   --diagnose         afterwards, where the daemon's cycle goes (extra runs, not in the tables): CPU per cycle by
#                      thread group; fsync/fdatasync/rename/unlink/mkdir calls per cycle of the daemon and of libvirtd
#                      counted with strace (which slows the runs down, so only counts are kept); the files the daemon
#                      syncs in a cycle, with their times
#   --jfr              also record the daemon with JFR during one extra 8-client run and print where it spends CPU
#   --no-build         use benchmarks/target as it is   --keep   keep the work directory
#   --no-install       fail instead of installing the Debian packages libvirt-daemon, libvirt-clients and
#                      python3-libvirt with apt-get when they are missing (installing needs root)
# Environment: XEND_ASSEMBLY (default karaf-distribution/target/assembly), JAVA (java), PYTHON (python3, for the
# helpers), LIBVIRT_PYTHON (/usr/bin/python3: Debian's interpreter, which has the libvirt binding), TMPDIR (the work
# directory, and so the daemon's state directory, goes there: a real disk, since fsync is free on tmpfs; as a
# diagnostic, TMPDIR=/dev/shm shows the daemon without the cost of its syncs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/benchmarks"
ASSEMBLY=${XEND_ASSEMBLY:-$ROOT/karaf-distribution/target/assembly}
PYTHON=${PYTHON:-python3}
LIBVIRT_PYTHON=${LIBVIRT_PYTHON:-/usr/bin/python3}
JAVA=${JAVA:-java}
LIBVIRTD=/usr/sbin/libvirtd
ROUNDS=3
WARMUP=3
DURATION=10
CLIENTS="1 8"
SYSTEMS="daemon daemon-tcp libvirtd inproc"
DIAGNOSE=0
JFR=0
PRIME=30
STRACE_SECONDS=4
BUILD=1
KEEP=0
INSTALL=1
BOOT_TIMEOUT=180

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-64}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --systems) SYSTEMS=$2; shift 2 ;;
        --diagnose) DIAGNOSE=1; shift ;;
        --prime) PRIME=$2; shift 2 ;;
        --jfr) JFR=1; shift ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        --no-install) INSTALL=0; shift ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage ;;
    esac
done
for n in "$ROUNDS" "$WARMUP" "$DURATION" "$PRIME" $CLIENTS; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "rounds, warm-up, duration, prime and clients must be whole numbers" >&2; exit 64; }
done
[ "$DURATION" -gt 0 ] && [ "$ROUNDS" -gt 0 ] || { echo "rounds and duration must be positive" >&2; exit 64; }
for s in $SYSTEMS; do
    case "$s" in
        daemon|daemon-tcp|libvirtd|inproc) ;;
        *) echo "unknown system '$s' (daemon, daemon-tcp, libvirtd, inproc)" >&2; exit 64 ;;
    esac
done
wants() { [[ " $SYSTEMS " == *" $1 "* ]]; }
wants_daemon() { wants daemon || wants daemon-tcp; }

# log, die, stop_pid, free_ports, port_open, wait_port, daemon_jvm_pid
. "$ROOT/benchmarks/lib.sh"

command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
command -v "$JAVA" >/dev/null || die "$JAVA not found"
if wants_daemon; then
    [ -x "$ASSEMBLY/bin/karaf" ] || die "no assembly at $ASSEMBLY: build it first with 'mvn -B -DskipTests install'"
fi
if [ "$DIAGNOSE" = 1 ]; then
    command -v strace >/dev/null || die "--diagnose needs strace"
fi
if [ "$JFR" = 1 ]; then
    command -v jcmd >/dev/null && command -v jfr >/dev/null || die "--jfr needs jcmd and jfr from the JDK"
fi

# ---- libvirt: the Debian packages, installed here (and only here) when missing ----
libvirt_ready() {
    "$LIBVIRT_PYTHON" -c 'import libvirt' 2>/dev/null && { ! wants libvirtd || [ -x "$LIBVIRTD" ]; }
}
if wants libvirtd || wants inproc; then
    if ! libvirt_ready; then
        [ "$INSTALL" = 1 ] || die "libvirt is missing: install libvirt-daemon libvirt-clients python3-libvirt"
        [ "$(id -u)" = 0 ] || die "libvirt is missing and installing it needs root:" \
            "apt-get install libvirt-daemon libvirt-clients python3-libvirt"
        log "installing libvirt-daemon, libvirt-clients and python3-libvirt with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        packages=(libvirt-daemon libvirt-clients python3-libvirt)
        if ! timeout 900 apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1; then
            timeout 600 apt-get update >/dev/null 2>&1 || true
            timeout 900 apt-get install -y --no-install-recommends "${packages[@]}" >&2 \
                || die "apt-get could not install ${packages[*]}"
        fi
        libvirt_ready || die "libvirt is still unusable after installing it (is $LIBVIRT_PYTHON Debian's python3?)"
    fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xend-lifebench.XXXXXX")
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH/target/lifecycle-$STAMP"
mkdir -p "$OUT"
STARTED_PIDS=()

# Stops one process: SIGTERM, up to $2 seconds of grace, then SIGKILL.
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local i
    # newest first: measurement tools, libvirtd, then the daemon (which gets longer to stop cleanly)
    for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
        stop_pid "${STARTED_PIDS[$i]}" 20
    done
    if [ -n "${DAEMON_PID:-}" ]; then
        stop_pid "$DAEMON_PID" 20
    fi
    if [ "$KEEP" = 1 ]; then
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Runs a command in the background under a deadline, remembered for the cleanup; its status is in $RAN_STATUS.
run_bounded() {
    local seconds=$1 output=$2
    shift 2
    "$@" >"$output" 2>&1 &
    local pid=$!
    STARTED_PIDS+=("$pid")
    local deadline=$((SECONDS + seconds))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && { stop_pid "$pid" 5; cat "$output" >&2; die "$1 did not finish in $seconds s"; }
    RAN_STATUS=0
    wait "$pid" || RAN_STATUS=$?
    unset 'STARTED_PIDS[-1]'
}

# What durability costs on the work directory's disk (where the daemon's state goes): appending a record and
# fdatasync-ing it; overwriting a block of a file allocated ahead with O_DSYNC and O_DIRECT, as the daemon's
# configuration journal commits (O_DSYNC alone where the file system refuses O_DIRECT); and replacing a file all or
# nothing as the daemon does a config.sxp (write a temporary file, fsync it, rename it over the old one, fsync the
# directory).
sync_latency() {
    "$PYTHON" - "$WORK" <<'EOF'
import mmap, os, statistics, sys, time
d = os.path.join(sys.argv[1], "fsync-probe")
os.makedirs(d, exist_ok=True)
append, in_place, replace = [], [], []
journal = os.open(os.path.join(d, "journal"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
segment_path = os.path.join(d, "segment")
with open(segment_path, "wb") as f:
    f.write(bytes(1 << 20))
    f.flush()
    os.fsync(f.fileno())
mode = "O_DSYNC + O_DIRECT"
try:
    segment = os.open(segment_path, os.O_WRONLY | os.O_DSYNC | os.O_DIRECT)
except OSError:
    segment, mode = os.open(segment_path, os.O_WRONLY | os.O_DSYNC), "O_DSYNC"
block = mmap.mmap(-1, 4096)  # page-aligned, as O_DIRECT needs
for i in range(100):
    t0 = time.perf_counter()
    os.write(journal, b"(record %d (name probe) (memory 64))\n" % i)
    os.fdatasync(journal)
    append.append(time.perf_counter() - t0)
    block.seek(0)
    block.write(b"(record %d (name probe) (memory 64))\n" % i)
    t0 = time.perf_counter()
    try:
        os.pwritev(segment, [block], 4096 * (i % 256))
    except OSError:
        os.close(segment)
        segment, mode = os.open(segment_path, os.O_WRONLY | os.O_DSYNC), "O_DSYNC"
        os.pwritev(segment, [block], 4096 * (i % 256))
    in_place.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    tmp = os.path.join(d, ".config.tmp")
    with open(tmp, "wb") as f:
        f.write(b"(domain (name probe) (memory 64))\n" * 40)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, os.path.join(d, "config.sxp"))
    fd = os.open(d, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    replace.append(time.perf_counter() - t0)
os.close(journal)
os.close(segment)
print("append + fdatasync p50 %.2f ms; block written in place with %s p50 %.2f ms; atomic file replacement p50 %.2f ms"
      % (statistics.median(append) * 1e3, mode, statistics.median(in_place) * 1e3,
         statistics.median(replace) * 1e3))
EOF
}

# ---- build ----
if [ "$BUILD" = 1 ]; then
    log "building the benchmark module"
    (cd "$ROOT" && timeout 600 mvn -B -q -pl benchmarks -DskipTests package) >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; die "the benchmark module did not build"; }
fi
[ -f "$BENCH/target/classes/org/xend/benchmarks/LifecycleLoadGenerator.class" ] \
    || die "benchmarks/target/classes is not built"
# a private copy: a rebuild of the module during the run must not pull the classes from under the load generator
TOOLS_CP="$WORK/classes"
cp -r "$BENCH/target/classes" "$TOOLS_CP"

RESULTS="$OUT/results.txt"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -vc '^??' || true)
{
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC') commit $COMMIT ($DIRTY modified tracked files)"
    if wants_daemon; then
        NEWEST_BUNDLE=$(find "$ASSEMBLY/system/org/xend" -name '*.jar' -printf '%T@\n' 2>/dev/null | sort -n | tail -1)
        echo "# assembly's newest Xend bundle built $(date -u -d "@${NEWEST_BUNDLE%.*}" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo '?')"
    fi
    echo "# $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# $("$JAVA" -version 2>&1 | head -1); libvirt $("$LIBVIRT_PYTHON" -c 'import libvirt; v = libvirt.getVersion(); print("%d.%d.%d" % (v // 1000000, v // 1000 % 1000, v % 1000))' 2>/dev/null || echo '?'); $("$LIBVIRT_PYTHON" --version 2>&1)"
    echo "# work directory on $(df -PT "$WORK" | awk 'NR == 2 { print $2 " (" $1 ")" }'); $(sync_latency)"
    echo "# rounds $ROUNDS, warm-up $WARMUP s, measured $DURATION s, clients $CLIENTS, systems $SYSTEMS"
} >"$RESULTS"

# ---- the daemon ----
if wants_daemon; then
    read -r XENAPI_PORT LEGACY_PORT SSH_PORT RMI_REGISTRY_PORT RMI_SERVER_PORT <<<"$(free_ports 5)"
    log "copying the assembly to $WORK/karaf"
    cp -a "$ASSEMBLY" "$WORK/karaf"
    # a fresh Karaf: no cache, lock or pid file from whoever ran the assembly before
    rm -rf "$WORK/karaf/data" "$WORK/karaf/lock" "$WORK/karaf/karaf.pid"
    mkdir -p "$WORK/state" "$WORK/run"
    XENAPI_SOCKET="$WORK/run/xen-api.sock"
    XEND_ROOT_PASSWORD=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(18))')
    export XEND_ROOT_PASSWORD

    log "starting the daemon (Xen API on 127.0.0.1:$XENAPI_PORT, state in $WORK/state)"
    BOOT_START_MS=$(($(date +%s%N) / 1000000))
    env KARAF_EXEC=exec \
        XEND_STATE_DIR="$WORK/state" \
        XEND_SOCKET_DIR="$WORK/run" \
        XEND_BIND_ADDRESS=127.0.0.1 \
        XEND_XENAPI_PORT="$XENAPI_PORT" \
        XEND_LEGACY_PORT="$LEGACY_PORT" \
        ORG_APACHE_KARAF_SHELL_SSHPORT="$SSH_PORT" \
        ORG_APACHE_KARAF_SHELL_SSHHOST=127.0.0.1 \
        ORG_APACHE_KARAF_MANAGEMENT_RMIREGISTRYPORT="$RMI_REGISTRY_PORT" \
        ORG_APACHE_KARAF_MANAGEMENT_RMISERVERPORT="$RMI_SERVER_PORT" \
        "$WORK/karaf/bin/karaf" server >"$WORK/karaf.out" 2>&1 &
    LAUNCHER_PID=$!
    STARTED_PIDS+=("$LAUNCHER_PID")
    wait_port "$XENAPI_PORT" "$LAUNCHER_PID" "$BOOT_TIMEOUT" "the daemon"
    for ((i = 0; i < 300; i++)); do
        [ -S "$XENAPI_SOCKET" ] && break
        sleep 0.1
    done
    [ -S "$XENAPI_SOCKET" ] || die "the daemon did not open its Unix socket $XENAPI_SOCKET"
    # the extra runs (priming, diagnostics, profile) go the way the headline figure does
    if wants daemon; then
        DAEMON_TARGET=(--unix "$XENAPI_SOCKET")
    else
        DAEMON_TARGET=(--port "$XENAPI_PORT")
    fi
    DAEMON_PID=$(daemon_jvm_pid "$WORK/karaf")
    log "daemon JVM pid $DAEMON_PID, Xen API port open after $(($(date +%s%N) / 1000000 - BOOT_START_MS)) ms"
fi

# ---- libvirtd with the test driver, unprivileged, on a private Unix socket ----
if wants libvirtd; then
    LV="$WORK/libvirt"
    mkdir -p "$LV/home" "$LV/run" "$LV/config" "$LV/cache"
    cat >"$LV/libvirtd.conf" <<EOF
listen_tls = 0
listen_tcp = 0
unix_sock_dir = "$LV/run"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:$LV/libvirtd.log"
EOF
    AS_USER=()
    if [ "$(id -u)" = 0 ]; then
        # libvirtd as root wants the system units of libvirt-daemon-system; as nobody it runs in session mode
        command -v setpriv >/dev/null || die "setpriv (util-linux) is needed to run libvirtd as nobody"
        chmod 711 "$WORK"
        chown -R 65534:65534 "$LV"
        AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    log "starting libvirtd on $LV/run/libvirt-sock"
    # exec all the way down, so the pid started here is libvirtd's
    "${AS_USER[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$LV/home" XDG_RUNTIME_DIR="$LV/run" \
        XDG_CONFIG_HOME="$LV/config" XDG_CACHE_HOME="$LV/cache" \
        "$LIBVIRTD" --config "$LV/libvirtd.conf" --pid-file "$LV/libvirtd.pid" >"$LV/libvirtd.out" 2>&1 &
    LIBVIRTD_PID=$!
    STARTED_PIDS+=("$LIBVIRTD_PID")
    LIBVIRT_URI="test+unix:///default?socket=$LV/run/libvirt-sock"
    for ((i = 0; i < 300; i++)); do
        [ -S "$LV/run/libvirt-sock" ] && break
        kill -0 "$LIBVIRTD_PID" 2>/dev/null || { cat "$LV/libvirtd.out" >&2; die "libvirtd exited at start"; }
        sleep 0.1
    done
    [ -S "$LV/run/libvirt-sock" ] || die "libvirtd did not open its socket within 30 s"
    if command -v virsh >/dev/null; then
        VERSION=$(timeout 30 virsh -c "$LIBVIRT_URI" version 2>&1 || true)
        [[ "$VERSION" == *"hypervisor: TEST"* ]] \
            || die "libvirtd does not answer with the test driver on $LIBVIRT_URI: $VERSION"
    fi
    grep -qa libvirtd "/proc/$LIBVIRTD_PID/cmdline" || die "pid $LIBVIRTD_PID is not libvirtd"
    log "libvirtd pid $LIBVIRTD_PID"
fi

# ---- measurements ----
measure() {
    local system=$1 clients=$2 round=$3 bound=$((WARMUP + DURATION + 120)) out="$WORK/measure.out"
    case "$system" in
        daemon|daemon-tcp)
            local target=(--unix "$XENAPI_SOCKET")
            [ "$system" = daemon-tcp ] && target=(--port "$XENAPI_PORT")
            run_bounded "$bound" "$out" "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.LifecycleLoadGenerator \
                "${target[@]}" --clients "$clients" --warmup "$WARMUP" --duration "$DURATION" \
                --server-pid "$DAEMON_PID" --label "$system" ;;
        libvirtd)
            run_bounded "$bound" "$out" "$LIBVIRT_PYTHON" "$BENCH/python/libvirt_lifecycle.py" --uri "$LIBVIRT_URI" \
                --clients "$clients" --warmup "$WARMUP" --duration "$DURATION" --server-pid "$LIBVIRTD_PID" \
                --label libvirtd ;;
        inproc)
            run_bounded "$bound" "$out" "$LIBVIRT_PYTHON" "$BENCH/python/libvirt_lifecycle.py" \
                --uri test:///default --clients "$clients" --warmup "$WARMUP" --duration "$DURATION" --label inproc ;;
    esac
    [ "$RAN_STATUS" = 0 ] || { cat "$out" >&2; die "the $system measurement with $clients client(s) failed"; }
    grep -v '^load started' "$out" | head -1 >&2
    local line
    line=$(grep '^RESULT ' "$out") || die "no RESULT from the $system measurement"
    echo "$line round=$round" >>"$RESULTS"
}

if wants_daemon && [ "$PRIME" -gt 0 ]; then
    top_clients=$(echo $CLIENTS | tr ' ' '\n' | sort -n | tail -1)
    log "priming the daemon: $PRIME s of $top_clients-client load, not recorded"
    run_bounded $((PRIME + 180)) "$OUT/prime.txt" "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.LifecycleLoadGenerator \
        "${DAEMON_TARGET[@]}" --label daemon-prime --clients "$top_clients" --warmup 0 --duration "$PRIME"
    [ "$RAN_STATUS" = 0 ] || { cat "$OUT/prime.txt" >&2; die "the priming run failed"; }
    grep -v '^load started' "$OUT/prime.txt" | head -1 >&2
fi

read -r -a SYSTEM_LIST <<<"$SYSTEMS"
log "measuring: $ROUNDS round(s) x ${#SYSTEM_LIST[@]} system(s) x clients {$CLIENTS}, $WARMUP s + $DURATION s each"
for ((round = 1; round <= ROUNDS; round++)); do
    log "round $round"
    for ((k = 0; k < ${#SYSTEM_LIST[@]}; k++)); do
        system=${SYSTEM_LIST[$(((k + round - 1) % ${#SYSTEM_LIST[@]}))]}
        for clients in $CLIENTS; do
            # libvirt in process is one client by definition
            [ "$system" = inproc ] && [ "$clients" != 1 ] && continue
            measure "$system" "$clients" "$round"
        done
    done
done

# ---- where the daemon's cycle goes: syncs per cycle ----
# strace -c attached to every thread of a process for one load run; prints "FSYNC ..." into the results.
count_syncs() {
    local label=$1 pid=$2 clients=$3
    shift 3
    local trace="$OUT/strace-$label-$clients.txt" run="$OUT/strace-$label-$clients.run.txt"
    strace -f -c -e trace=fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat,rmdir,mkdir,mkdirat \
        -p "$pid" -o "$trace" 2>"$trace.err" &
    local strace_pid=$!
    STARTED_PIDS+=("$strace_pid")
    sleep 2  # attaching to a few hundred JVM threads takes a moment
    run_bounded $((STRACE_SECONDS + 180)) "$run" "$@" --clients "$clients" --warmup 0 --duration "$STRACE_SECONDS"
    kill -INT "$strace_pid" 2>/dev/null || true
    wait "$strace_pid" 2>/dev/null || true
    unset 'STARTED_PIDS[-1]'
    [ "$RAN_STATUS" = 0 ] || { cat "$run" >&2; log "the traced $label run failed"; return 0; }
    local cycles
    cycles=$(grep -o 'total_cycles=[0-9]*' "$run" | cut -d= -f2)
    echo "SYSCALLS label=$label clients=$clients cycles=$cycles $(awk '
        $NF ~ /^(fsync|fdatasync|rename|renameat|renameat2|unlink|unlinkat|rmdir|mkdir|mkdirat)$/ {
            printf "%s=%s ", $NF, $4 }' "$trace")" | sed 's/ *$//' >>"$RESULTS"
    log "$label, $clients client(s) under strace: $cycles cycles; $(tail -1 "$RESULTS" | cut -d' ' -f5-)"
}

# strace of one short 1-client run with paths and times, summed per file, to show what the daemon syncs (the
# configuration journal's commits are pwrite64 calls on a file opened O_DSYNC: the summary counts those too).
sync_paths() {
    local trace="$OUT/strace-daemon-paths.txt" run="$OUT/strace-daemon-paths.run.txt"
    strace -f -y -T -e trace=fsync,fdatasync,pwrite64 -p "$DAEMON_PID" -o "$trace" 2>"$trace.err" &
    local strace_pid=$!
    STARTED_PIDS+=("$strace_pid")
    sleep 2
    run_bounded $((STRACE_SECONDS + 180)) "$run" "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.LifecycleLoadGenerator \
        "${DAEMON_TARGET[@]}" --label daemon-paths --clients 1 --warmup 0 --duration 2
    kill -INT "$strace_pid" 2>/dev/null || true
    wait "$strace_pid" 2>/dev/null || true
    unset 'STARTED_PIDS[-1]'
    [ "$RAN_STATUS" = 0 ] || { cat "$run" >&2; log "the traced run failed"; return 0; }
    local cycles
    cycles=$(grep -o 'total_cycles=[0-9]*' "$run" | cut -d= -f2)
    "$PYTHON" "$BENCH/python/summarize_lifecycle.py" --sync-paths "$trace" --cycles "$cycles" --state-dir "$WORK" \
        >"$OUT/daemon-sync-paths.md"
    log "what the daemon syncs per cycle: $OUT/daemon-sync-paths.md"
}

# CPU of the daemon's threads, grouped by name, over one untraced run per client count.
thread_cpu() {
    local clients=$1 run="$OUT/threads-daemon-$clients.run.txt"
    "$PYTHON" "$BENCH/python/thread_cpu.py" snapshot "$DAEMON_PID" >"$WORK/threads.before"
    run_bounded $((DURATION + 180)) "$run" "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.LifecycleLoadGenerator \
        "${DAEMON_TARGET[@]}" --label daemon-threads --clients "$clients" --warmup 0 --duration "$DURATION"
    "$PYTHON" "$BENCH/python/thread_cpu.py" snapshot "$DAEMON_PID" >"$WORK/threads.after"
    [ "$RAN_STATUS" = 0 ] || { cat "$run" >&2; log "the run for the thread breakdown failed"; return 0; }
    local cycles
    cycles=$(grep -o 'total_cycles=[0-9]*' "$run" | cut -d= -f2)
    {
        echo "Daemon CPU per cycle by thread group, $clients client(s), $cycles cycles (no tracing):"
        echo
        "$PYTHON" "$BENCH/python/thread_cpu.py" diff "$WORK/threads.before" "$WORK/threads.after" --cycles "$cycles"
    } >"$OUT/daemon-threads-$clients.md"
    log "daemon CPU by thread, $clients client(s): $OUT/daemon-threads-$clients.md"
}

if [ "$DIAGNOSE" = 1 ]; then
    if wants_daemon; then
        for clients in $CLIENTS; do
            thread_cpu "$clients"
        done
    fi
    log "counting syncs per cycle under strace ($STRACE_SECONDS s runs; strace slows them down)"
    if wants_daemon; then
        for clients in $CLIENTS; do
            count_syncs daemon "$DAEMON_PID" "$clients" "$JAVA" -cp "$TOOLS_CP" \
                org.xend.benchmarks.LifecycleLoadGenerator "${DAEMON_TARGET[@]}" --label daemon-strace
        done
        sync_paths
    fi
    if wants libvirtd; then
        count_syncs libvirtd "$LIBVIRTD_PID" "$(echo $CLIENTS | awk '{ print $NF }')" "$LIBVIRT_PYTHON" \
            "$BENCH/python/libvirt_lifecycle.py" --uri "$LIBVIRT_URI" --label libvirtd-strace
    fi
fi

if [ "$JFR" = 1 ] && wants_daemon; then
    log "profiling the daemon with JFR during one more 8-client run"
    JFR_FILE="$OUT/daemon-lifecycle-8-clients.jfr"
    JFR_RUN="$OUT/daemon-jfr-run.txt"
    "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.LifecycleLoadGenerator "${DAEMON_TARGET[@]}" --clients 8 \
        --warmup "$WARMUP" --duration "$DURATION" --server-pid "$DAEMON_PID" --label daemon-jfr >"$JFR_RUN" 2>&1 &
    JFR_LOADGEN=$!
    STARTED_PIDS+=("$JFR_LOADGEN")
    # record from the end of the logins (their password hashing would fill the profile) to the end of the window
    for ((i = 0; i < 1200; i++)); do
        grep -q '^load started' "$JFR_RUN" 2>/dev/null && break
        kill -0 "$JFR_LOADGEN" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^load started' "$JFR_RUN" || { cat "$JFR_RUN" >&2; die "the profiled run did not start"; }
    jcmd "$DAEMON_PID" JFR.start name=xend-lifebench settings=profile duration=$((WARMUP + DURATION))s \
        filename="$JFR_FILE" >/dev/null
    deadline=$((SECONDS + WARMUP + DURATION + 120))
    while kill -0 "$JFR_LOADGEN" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
        sleep 0.2
    done
    kill -0 "$JFR_LOADGEN" 2>/dev/null && die "the profiled run did not finish in time"
    wait "$JFR_LOADGEN" || log "the profiled run failed: $(tail -1 "$JFR_RUN")"
    unset 'STARTED_PIDS[-1]'
    grep -v '^load started' "$JFR_RUN" | head -1 >&2
    # the recording is written when its duration ends, just after the load generator
    for ((i = 0; i < 300; i++)); do
        [ -s "$JFR_FILE" ] && break
        sleep 0.1
    done
    sleep 1
    "$PYTHON" "$BENCH/python/jfr_top.py" "$JFR_FILE" --top 30 >"$OUT/daemon-profile.txt" 2>&1 \
        || log "could not summarise the recording"
    log "profile: $OUT/daemon-profile.txt"
fi

if wants_daemon; then
    # every cycle destroys its VM, so the state directory must hold no managed domain afterwards
    left=$(find "$WORK/state/domains" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
    echo "# managed domain directories left in the daemon's state directory: $left" >>"$RESULTS"
    [ "$left" = 0 ] || log "WARNING: $left managed domain directories were left in $WORK/state/domains"
fi

log "results: $RESULTS"
{
    echo
    grep '^#' "$RESULTS" | sed 's/^# //'
    echo
    "$PYTHON" "$BENCH/python/summarize_lifecycle.py" "$RESULTS"
    for extra in "$OUT"/daemon-threads-*.md "$OUT/daemon-sync-paths.md"; do
        if [ -s "$extra" ]; then
            echo
            cat "$extra"
        fi
    done
} | tee "$OUT/summary.md"
