#!/usr/bin/env bash
# A hubble-topology cluster on one machine, every part its own process, to show scale-out and cross-instance
# queries without Kubernetes: a Kafka broker (or a cluster of them), N processor + query API instances (one Streams application,
# the partitions shared between them), and M ingest agents, each with its own simulated Hubble server (as each
# node of a real cluster has its own Cilium agent). See docs/local-cluster.md.
#
#   deploy/local/cluster.sh up [--brokers B] [--processors N] [--agents M] [options]   # start, wait until every API answers
#   deploy/local/cluster.sh status [--run-dir DIR]                       # what runs, ports, logs
#   deploy/local/cluster.sh down [--run-dir DIR]                         # stop what `up` started, nothing else
#
# Options (and the environment variable each defaults from):
#   --brokers B           BROKERS, default 1: Kafka nodes (broker and controller each, a process each); from 3 on
#                         the roles create their topics with 3 replicas and min.insync.replicas=2
#   --processors N        PROCESSORS, default 2
#   --agents M            AGENTS, default 2
#   --run-dir DIR         RUN_DIR, default deploy/local/run: pids, logs, Kafka data, state stores
#   --jar PATH            JAR, default deploy/target/hubble-topology.jar (build: mvn -q -DskipTests package)
#   --kafka-port P        KAFKA_PORT, default 9092: broker i listens on P+i; with B > 1 the quorum on P+B..P+2B-1
#   --api-port-base P     API_PORT_BASE, default 8080: processor i serves its API on P+i
#   --hubble-port-base P  HUBBLE_PORT_BASE, default 4245: agent j's simulated Hubble listens on P+j
#   --health-port-base P  HEALTH_PORT_BASE, default 9090: agent j serves /health, /ready, /metrics on P+j
#   --partitions P        PARTITIONS, default 6: the ceiling on processor instances that get work
#   --flows-per-second R  FLOWS_PER_SECOND, default 100 per simulated Hubble
#
# Linux only: `down` and `status` recognise our processes by pid and start time in /proc, so a pid the
# kernel has since given to another process is never signalled.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

brokers="${BROKERS:-1}"
processors="${PROCESSORS:-2}"
agents="${AGENTS:-2}"
run_dir="${RUN_DIR:-$here/run}"
jar="${JAR:-$repo/deploy/target/hubble-topology.jar}"
kafka_port="${KAFKA_PORT:-9092}"
api_port_base="${API_PORT_BASE:-8080}"
hubble_port_base="${HUBBLE_PORT_BASE:-4245}"
health_port_base="${HEALTH_PORT_BASE:-9090}"
partitions="${PARTITIONS:-6}"
flows_per_second="${FLOWS_PER_SECOND:-100}"
java="${JAVA:-java}"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

die() {
    echo "cluster.sh: $*" >&2
    exit 2
}

# Set while `up` starts processes: any exit before it finishes stops what it started.
starting=0

is_count() {
    [[ "$1" =~ ^[0-9]+$ ]] && (( "$1" >= 1 ))
}

command="${1:-}"
[[ -n "$command" ]] || { usage >&2; exit 2; }
shift
while (($#)); do
    case "$1" in
        --brokers) brokers="${2:?--brokers needs a number}"; shift 2 ;;
        --processors) processors="${2:?--processors needs a number}"; shift 2 ;;
        --agents) agents="${2:?--agents needs a number}"; shift 2 ;;
        --run-dir) run_dir="${2:?--run-dir needs a directory}"; shift 2 ;;
        --jar) jar="${2:?--jar needs a path}"; shift 2 ;;
        --kafka-port) kafka_port="${2:?--kafka-port needs a port}"; shift 2 ;;
        --api-port-base) api_port_base="${2:?--api-port-base needs a port}"; shift 2 ;;
        --hubble-port-base) hubble_port_base="${2:?--hubble-port-base needs a port}"; shift 2 ;;
        --health-port-base) health_port_base="${2:?--health-port-base needs a port}"; shift 2 ;;
        --partitions) partitions="${2:?--partitions needs a number}"; shift 2 ;;
        --flows-per-second) flows_per_second="${2:?--flows-per-second needs a rate}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

pids_file="$run_dir/pids"

# The start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), or nothing when it is gone.
start_time() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
    # The command name (field 2) may hold spaces and parentheses: count fields after its closing ')'.
    stat="${stat##*) }"
    set -- $stat
    echo "${20}"
}

# Whether the recorded process is still the one we started: same pid and same start time.
ours() {
    local pid="$1" started="$2"
    [[ -n "$pid" && "$(start_time "$pid")" == "$started" ]]
}

# Lines of the pids file: name pid start-time port log
recorded() {
    [[ -f "$pids_file" ]] && cat "$pids_file" || true
}

running_count() {
    local n=0 name pid started port log
    while read -r name pid started port log; do
        if ours "$pid" "$started"; then n=$((n + 1)); fi
    done < <(recorded)
    echo "$n"
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start NAME PORT HEAP ROLE-ARGS...: runs the jar in the background, records it, returns at once.
start() {
    local name="$1" port="$2" heap="$3"
    shift 3
    local log="$run_dir/logs/$name.log"
    # setsid: Ctrl-C in the terminal that ran `up` does not reach the cluster; `down` stops it.
    setsid "$java" "-Xmx$heap" -jar "$jar" "$@" >"$log" 2>&1 < /dev/null &
    local pid=$!
    local started=""
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        started="$(start_time "$pid")"
        [[ -n "$started" ]] && break
        sleep 0.1
    done
    [[ -n "$started" ]] || die "$name exited at once; see $log"
    echo "$name $pid $started $port $log" >>"$pids_file"
}

# wait_for_log NAME TEXT SECONDS: until the process logs TEXT; fails if it dies or takes too long.
wait_for_log() {
    local name="$1" text="$2" seconds="$3" line pid started log
    line="$(grep "^$name " "$pids_file")"
    read -r _ pid started _ log <<<"$line"
    for ((i = 0; i < seconds * 5; i++)); do
        grep -q "$text" "$log" 2>/dev/null && return 0
        ours "$pid" "$started" || { tail -20 "$log" >&2; die "$name stopped while starting; log: $log"; }
        sleep 0.2
    done
    die "$name not ready after ${seconds}s; log: $log"
}

http_ok() {
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
}

up() {
    is_count "$brokers" || die "--brokers must be a whole number >= 1, was '$brokers'"
    is_count "$processors" || die "--processors must be a whole number >= 1, was '$processors'"
    is_count "$agents" || die "--agents must be a whole number >= 1, was '$agents'"
    is_count "$partitions" || die "--partitions must be a whole number >= 1, was '$partitions'"
    [[ -f "$jar" ]] || die "no jar at $jar: build it with 'mvn -q -DskipTests package' (or pass --jar)"
    command -v curl >/dev/null || die "curl is needed to wait for the APIs"
    [[ -r /proc/self/stat ]] || die "needs Linux's /proc to recognise its processes"
    if [[ "$(running_count)" -gt 0 ]]; then
        die "a cluster from $run_dir is still running; 'cluster.sh down --run-dir $run_dir' first"
    fi
    local ports=()
    local quorum_ports=$((brokers > 1 ? brokers : 0))
    for ((b = 0; b < brokers + quorum_ports; b++)); do ports+=($((kafka_port + b))); done
    for ((i = 0; i < processors; i++)); do ports+=($((api_port_base + i))); done
    for ((j = 0; j < agents; j++)); do ports+=($((hubble_port_base + j)) $((health_port_base + j))); done
    for p in "${ports[@]}"; do
        port_in_use "$p" && die "port $p is in use; choose others (--kafka-port, --api-port-base, --hubble-port-base, --health-port-base)"
    done

    mkdir -p "$run_dir/logs"
    : >"$pids_file"
    # A failed start leaves nothing behind.
    starting=1
    trap 'if ((starting)); then echo "cluster.sh: start failed, stopping what started" >&2; down >/dev/null; fi' EXIT

    local kafka="127.0.0.1:$kafka_port"
    for ((b = 1; b < brokers; b++)); do kafka+=",127.0.0.1:$((kafka_port + b))"; done
    # With --nodes > 1 the role starts each node as a child process and stops them all when it stops.
    start broker "$kafka_port" 512m broker --nodes "$brokers" --port "$kafka_port" --data-dir "$run_dir/kafka" --partitions "$partitions"
    wait_for_log broker "Kafka broker ready" $((60 + 60 * brokers))

    for ((j = 0; j < agents; j++)); do
        start "hubble-$j" $((hubble_port_base + j)) 128m hubble-sim --port $((hubble_port_base + j)) \
            --flows-per-second "$flows_per_second" --seed $((42 + j))
    done
    for ((j = 0; j < agents; j++)); do
        wait_for_log "hubble-$j" "Simulated Hubble serving" 60
    done

    # One standby per store when there is another instance to hold it.
    local standbys=$((processors > 1 ? 1 : 0))
    for ((i = 0; i < processors; i++)); do
        local port=$((api_port_base + i))
        start "processor-$i" "$port" 512m processor --bootstrap-servers "$kafka" --api-port "$port" \
            --application-server "127.0.0.1:$port" --state-dir "$run_dir/processor-$i/state" \
            --standby-replicas "$standbys" --partitions "$partitions"
    done
    for ((j = 0; j < agents; j++)); do
        start "ingest-$j" - 256m ingest --bootstrap-servers "$kafka" --hubble-addr "127.0.0.1:$((hubble_port_base + j))" \
            --node-name "local-node-$j" --health-port "$((health_port_base + j))" --partitions "$partitions"
    done

    for ((i = 0; i < processors; i++)); do
        local url="http://127.0.0.1:$((api_port_base + i))/health"
        for ((t = 0; t < 600; t++)); do
            http_ok "$url" && break
            [[ "$(running_count)" -eq $((1 + 2 * agents + processors)) ]] || die "a process stopped while starting; see 'cluster.sh status' and $run_dir/logs"
            sleep 0.2
        done
        http_ok "$url" || die "processor-$i does not answer $url after 120s; log: $run_dir/logs/processor-$i.log"
    done
    starting=0
    echo "hubble-topology cluster up: $brokers Kafka broker(s), $processors processors, $agents agents, Kafka $kafka."
    for ((i = 0; i < processors; i++)); do
        echo "  http://127.0.0.1:$((api_port_base + i))/topology"
    done
    echo "Logs and pids in $run_dir. 'cluster.sh status' lists the processes, 'cluster.sh down' stops them."
}

status() {
    if [[ ! -s "$pids_file" ]]; then
        echo "no cluster recorded in $run_dir"
        return 0
    fi
    printf '%-14s %-8s %-8s %-6s %s\n' NAME PID STATE PORT LOG
    local name pid started port log state
    while read -r name pid started port log; do
        if ours "$pid" "$started"; then state=running; else state=stopped; fi
        printf '%-14s %-8s %-8s %-6s %s\n' "$name" "$pid" "$state" "$port" "$log"
    done < <(recorded)
}

down() {
    [[ -s "$pids_file" ]] || { echo "nothing to stop in $run_dir"; return 0; }
    # Reverse order of start: agents first (nothing new enters), processors, then Hubble servers and Kafka.
    local lines name pid started port log
    mapfile -t lines < <(tac "$pids_file")
    local stopping=()
    for line in "${lines[@]}"; do
        read -r name pid started port log <<<"$line"
        if ours "$pid" "$started"; then
            kill -TERM "$pid" 2>/dev/null || true
            stopping+=("$name $pid $started")
        fi
        # Waiting per tier (the last one of each kind, "-0") keeps the order without serialising every process.
        if [[ "$name" == *-0 ]]; then
            await_stopped "${stopping[@]+"${stopping[@]}"}"
            stopping=()
        fi
    done
    await_stopped "${stopping[@]+"${stopping[@]}"}"
    rm -f "$pids_file"
    echo "hubble-topology cluster in $run_dir stopped."
}

# await_stopped "name pid start"...: up to 20 s for a clean stop (Streams commits and leaves the group),
# then SIGKILL.
await_stopped() {
    local entry name pid started
    for ((t = 0; t < 100; t++)); do
        local left=0
        for entry in "$@"; do
            read -r name pid started <<<"$entry"
            ours "$pid" "$started" && left=1
        done
        ((left)) || return 0
        sleep 0.2
    done
    for entry in "$@"; do
        read -r name pid started <<<"$entry"
        if ours "$pid" "$started"; then
            echo "cluster.sh: $name (pid $pid) did not stop within 20s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

case "$command" in
    up) up ;;
    down) down ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) die "unknown command '$command': up, down or status" ;;
esac
