#!/usr/bin/env bash
# Measures the Xen API surface at scale against the Xend daemon and prints the tables of docs/PERFORMANCE.md:
# VM.get_all_records with 1,000 and 10,000 managed VMs, and event.from's latency from a VM's power-state change
# to its delivery. One command, bounded in time; every process it starts is stopped on exit, even on failure.
#
#   mvn -B -DskipTests install          # once: the bundles and karaf-distribution/target/assembly
#   benchmarks/run-api-surface.sh       # about 7 minutes with the defaults
#   benchmarks/python/summarize_api_surface.py benchmarks/target/api-surface-*/results.txt   # medians over runs
#
# Steps, on a private copy of the assembly with its own state directory and free ports:
#   1. boot; event.from latency with the shipped settle delay (eventFromSettleMillis = 50), few VMs
#   2. for each size: VM.create up to that many managed, Halted VMs (config.sxp written per VM, 4 clients), then
#      time VM.get_all_records over one keep-alive connection, and once with Python's xmlrpc.client (decode included)
#   3. event.from latency again, with every VM in the store
#   4. SIGTERM, boot again on the same state (all VMs must come back), event.from latency with settle 0
#
# Options:
#   --vms "1000 10000"   sizes, ascending               --calls N      timed get_all_records calls per size (50)
#   --changes N          power-state changes timed per latency run (300)
#   --clients N          VM.create clients (4)          --no-restart   skip step 4
#   --no-build           use benchmarks/target as it is --keep         keep the work directory
# Environment: XEND_ASSEMBLY (default karaf-distribution/target/assembly), PYTHON (python3), JAVA (java).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/benchmarks"
ASSEMBLY=${XEND_ASSEMBLY:-$ROOT/karaf-distribution/target/assembly}
PYTHON=${PYTHON:-python3}
JAVA=${JAVA:-java}
SIZES="1000 10000"
CALLS=50
CHANGES=300
CLIENTS=4
RESTART=1
BUILD=1
KEEP=0
BOOT_TIMEOUT=300
STOP_TIMEOUT=120

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-64}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --vms) SIZES=$2; shift 2 ;;
        --calls) CALLS=$2; shift 2 ;;
        --changes) CHANGES=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --no-restart) RESTART=0; shift ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage ;;
    esac
done
previous=0
for n in $SIZES; do
    [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -gt "$previous" ] || { echo "--vms takes ascending whole numbers" >&2; exit 64; }
    previous=$n
done
for n in "$CALLS" "$CHANGES" "$CLIENTS"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "calls, changes and clients must be positive whole numbers" >&2; exit 64; }
done

# log, die, stop_pid, free_ports, port_open, wait_port
. "$ROOT/benchmarks/lib.sh"

[ -x "$ASSEMBLY/bin/karaf" ] || die "no assembly at $ASSEMBLY: build it first with 'mvn -B -DskipTests install'"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
command -v "$JAVA" >/dev/null || die "$JAVA not found"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xend-api-surface.XXXXXX")
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH/target/api-surface-$STAMP"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
DAEMON_PID=""
TOOL_PID=""

# Stops one process: SIGTERM, up to $2 seconds of grace, then SIGKILL.
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "$TOOL_PID" ] && stop_pid "$TOOL_PID" 2
    [ -n "$DAEMON_PID" ] && stop_pid "$DAEMON_PID" 30
    if [ "$KEEP" = 1 ]; then
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- build ----
if [ "$BUILD" = 1 ]; then
    log "building the benchmark module"
    (cd "$ROOT" && timeout 600 mvn -B -q -pl benchmarks -DskipTests package) >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; die "the benchmark module did not build"; }
fi
[ -f "$BENCH/target/classes/org/xend/benchmarks/ApiSurfaceBenchmark.class" ] || die "benchmarks/target/classes is not built"
# a private copy, so that a rebuild of the module during the run cannot pull the classes away
TOOLS_CP="$WORK/classes"
cp -r "$BENCH/target/classes" "$TOOLS_CP"

# ---- the daemon ----
read -r XENAPI_PORT TLS_PORT LEGACY_PORT SSH_PORT RMI_REGISTRY_PORT RMI_SERVER_PORT <<<"$(free_ports 6)"
log "copying the assembly to $WORK/karaf"
cp -a "$ASSEMBLY" "$WORK/karaf"
rm -rf "$WORK/karaf/data" "$WORK/karaf/lock" "$WORK/karaf/karaf.pid"
# Karaf's environment override (ORG_XEND_CORE_EVENTFROMSETTLEMILLIS) only replaces keys a configuration already
# has, and the assembly ships no org.xend.core.cfg: this one holds the default, so step 4 can override it.
printf '# written by run-api-surface.sh\neventFromSettleMillis = 50\n' >"$WORK/karaf/etc/org.xend.core.cfg"
mkdir -p "$WORK/state"
ROOT_PASSWORD=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(18))')
export XEND_ROOT_PASSWORD=$ROOT_PASSWORD

# Starts the daemon with extra environment ($@ as NAME=VALUE); sets DAEMON_PID and BOOT_MS.
start_daemon() {
    local started launcher i
    started=$(now_ms)
    LOG_FROM=1
    if [ -f "$WORK/karaf/data/log/karaf.log" ]; then
        LOG_FROM=$(($(wc -l <"$WORK/karaf/data/log/karaf.log") + 1))
    fi
    env KARAF_EXEC=exec \
        XEND_STATE_DIR="$WORK/state" \
        XEND_BIND_ADDRESS=127.0.0.1 \
        XEND_XENAPI_PORT="$XENAPI_PORT" \
        XEND_XENAPI_TLS_PORT="$TLS_PORT" \
        XEND_LEGACY_PORT="$LEGACY_PORT" \
        ORG_APACHE_KARAF_SHELL_SSHPORT="$SSH_PORT" \
        ORG_APACHE_KARAF_SHELL_SSHHOST=127.0.0.1 \
        ORG_APACHE_KARAF_MANAGEMENT_RMIREGISTRYPORT="$RMI_REGISTRY_PORT" \
        ORG_APACHE_KARAF_MANAGEMENT_RMISERVERPORT="$RMI_SERVER_PORT" \
        XEND_ROOT_PASSWORD="$ROOT_PASSWORD" \
        "$@" \
        "$WORK/karaf/bin/karaf" server >>"$WORK/karaf.out" 2>&1 &
    launcher=$!
    DAEMON_PID=$launcher # bin/karaf execs the JVM (KARAF_EXEC=exec), so this becomes the JVM
    for ((i = 0; i < BOOT_TIMEOUT * 10; i++)); do
        port_open "$XENAPI_PORT" && break
        kill -0 "$launcher" 2>/dev/null || die "the daemon exited before listening (see $WORK/karaf/data/log/karaf.log)"
        sleep 0.1
    done
    port_open "$XENAPI_PORT" || die "the daemon did not listen on $XENAPI_PORT within $BOOT_TIMEOUT s"
    # The port opens before the domain layer has published the VM class: a VM.create in between is stored without
    # its domain record and a VM.start on it fails. Ready means the domain layer said so.
    for ((i = 0; i < BOOT_TIMEOUT * 10; i++)); do
        tail -n +"$LOG_FROM" "$WORK/karaf/data/log/karaf.log" 2>/dev/null | grep -q "Xend is managing domains" && break
        sleep 0.1
    done
    tail -n +"$LOG_FROM" "$WORK/karaf/data/log/karaf.log" | grep -q "Xend is managing domains" \
        || die "the domain layer did not come up within $BOOT_TIMEOUT s"
    BOOT_MS=$(($(now_ms) - started))
    grep -qa java "/proc/$DAEMON_PID/cmdline" || die "pid $DAEMON_PID is not a JVM"
}

stop_daemon() {
    local started i
    started=$(now_ms)
    kill -TERM "$DAEMON_PID"
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
        kill -0 "$DAEMON_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$DAEMON_PID" 2>/dev/null && die "the daemon did not stop within $STOP_TIMEOUT s of SIGTERM"
    wait "$DAEMON_PID" 2>/dev/null || true
    STOP_MS=$(($(now_ms) - started))
    DAEMON_PID=""
}

# Runs one ApiSurfaceBenchmark subcommand; its RESULT line goes to results.txt.
bench() {
    local sub=$1 budget=$2 line status=0
    shift 2
    "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.ApiSurfaceBenchmark "$sub" --port "$XENAPI_PORT" \
        --server-pid "$DAEMON_PID" "$@" >"$WORK/tool.out" 2>&1 &
    TOOL_PID=$!
    local deadline=$((SECONDS + budget))
    while kill -0 "$TOOL_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
        sleep 0.2
    done
    kill -0 "$TOOL_PID" 2>/dev/null && die "$sub did not finish within $budget s"
    wait "$TOOL_PID" || status=$?
    TOOL_PID=""
    [ "$status" = 0 ] || { cat "$WORK/tool.out" >&2; die "$sub failed"; }
    grep -v '^RESULT ' "$WORK/tool.out" >&2 || true
    line=$(grep '^RESULT ' "$WORK/tool.out") || die "no RESULT from $sub"
    echo "$line" >>"$RESULTS"
}

# VM.get_all_records through Python's xmlrpc.client, decoding included: what a XenAPI.py-style client waits.
python_get_all() {
    local n=$1
    timeout 600 "$PYTHON" - "$XENAPI_PORT" "$n" <<'EOF' >>"$RESULTS"
import os, statistics, sys, time, xmlrpc.client
port, vms = int(sys.argv[1]), int(sys.argv[2])
p = xmlrpc.client.ServerProxy("http://127.0.0.1:%d/" % port)
s = p.session.login_with_password("root", os.environ["XEND_ROOT_PASSWORD"])["Value"]
times = []
for _ in range(3):
    t0 = time.perf_counter()
    r = p.VM.get_all_records(s)
    times.append(time.perf_counter() - t0)
    assert r["Status"] == "Success" and len(r["Value"]) == vms, (r.get("Status"), len(r.get("Value", {})))
print("RESULT kind=python_get_all_records label=python-%d vms=%d calls=3 p50_us=%.1f min_us=%.1f"
      % (vms, vms, statistics.median(times) * 1e6, min(times) * 1e6))
EOF
}

{
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC') commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# $("$JAVA" -version 2>&1 | head -1); $("$PYTHON" --version 2>&1)"
    echo "# sizes $SIZES, $CALLS get_all_records calls per size, $CHANGES power-state changes per latency run"
} >"$RESULTS"

log "starting the daemon (Xen API on 127.0.0.1:$XENAPI_PORT)"
start_daemon
echo "RESULT kind=boot label=fresh vms=0 boot_ms=$BOOT_MS" >>"$RESULTS"
log "daemon JVM pid $DAEMON_PID, ready after $BOOT_MS ms"

log "event.from latency, settle 50 ms, few VMs"
bench event-latency 600 --changes "$CHANGES" --warmup-changes 50 --label settle-50
made=0
for n in $SIZES; do
    log "VM.create up to $n managed VMs"
    bench populate 1800 --count $((n - made)) --first $((made + 1)) --clients "$CLIENTS" --label "populate-$n"
    made=$n
    # the watched VM of the latency runs and Domain-0 are in the listing too
    log "VM.get_all_records with $n VMs"
    bench get-all-records 1800 --calls "$CALLS" --warmup-calls 10 --expect-vms $((n + 2)) --label "vms-$n"
    log "the same through Python's xmlrpc.client"
    python_get_all $((n + 2)) || die "the Python client failed"
done
log "event.from latency, settle 50 ms, with $made VMs in the store"
bench event-latency 600 --changes "$CHANGES" --warmup-changes 50 --label "settle-50-vms-$made"

if [ "$RESTART" = 1 ]; then
    log "stopping the daemon (SIGTERM)"
    stop_daemon
    log "stopped in $STOP_MS ms; starting it again on the same state, with eventFromSettleMillis = 0"
    start_daemon ORG_XEND_CORE_EVENTFROMSETTLEMILLIS=0
    log "ready after $BOOT_MS ms"
    # every managed VM was loaded from its config.sxp: count them
    bench get-all-records 600 --calls 3 --warmup-calls 0 --expect-vms $((made + 2)) --label "after-restart-$made"
    echo "RESULT kind=boot label=restart vms=$((made + 2)) boot_ms=$BOOT_MS stop_ms=$STOP_MS" >>"$RESULTS"
    grep -q "Xen API ready: event.from settles 0 ms" "$WORK/karaf/data/log/karaf.log" \
        || die "the settle override did not take effect"
    log "event.from latency, settle 0"
    bench event-latency 600 --changes "$CHANGES" --warmup-changes 50 --label settle-0
fi

log "results: $RESULTS"
{
    echo
    grep '^#' "$RESULTS" | sed 's/^# //'
    echo
    "$PYTHON" "$BENCH/python/summarize_api_surface.py" "$RESULTS"
} | tee "$OUT/summary.md"
