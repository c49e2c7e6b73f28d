#!/usr/bin/env bash
# A local standalone Flink 1.19 session cluster started from the job's jar, each process its own JVM:
#   pipelines/flink-cluster.sh start             one JobManager and $FLINK_TASKMANAGERS TaskManagers
#   pipelines/flink-cluster.sh add-taskmanager   one more TaskManager (e.g. to replace a lost one)
#   pipelines/flink-cluster.sh status            which processes are alive, whether REST answers
#   pipelines/flink-cluster.sh stop              ends exactly the processes this script started
# Then: pipelines/flink.sh --flinkMaster=localhost:8081 [options]
#
# Settings (environment):
#   FLINK_TASKMANAGERS   TaskManagers to start (2)
#   FLINK_SLOTS          task slots per TaskManager (1)
#   FLINK_REST_PORT      REST and web UI port on localhost (8081)
#   FLINK_RPC_PORT       JobManager RPC port (6123)
#   FLINK_TM_MEMORY      a TaskManager's whole process size (1280m)
#   FLINK_JM_MEMORY      the JobManager's whole process size (1g)
#   FLINK_RESTARTS       restart attempts of a failed job (3; 0 turns restarts off)
#   FLINK_RESTART_DELAY  the wait before each attempt (10 s)
#   FLINK_CLUSTER_DIR    configuration, logs and PID files (target/flink-cluster)
# The configuration is written to $FLINK_CLUSTER_DIR/conf/config.yaml at each start; edit
# this script, not that file.
set -euo pipefail
source "$(dirname "$0")/args.sh"

taskmanagers=${FLINK_TASKMANAGERS:-2}
slots=${FLINK_SLOTS:-1}
rest_port=${FLINK_REST_PORT:-8081}
rpc_port=${FLINK_RPC_PORT:-6123}
restarts=${FLINK_RESTARTS:-3}
dir=${FLINK_CLUSTER_DIR:-$root/target/flink-cluster}
conf="$dir/conf"
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
jm_class=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
tm_class=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

die() {
  echo "flink-cluster: $*" >&2
  exit 1
}
# The folder's tmp/ is deleted at start and stop: never let that be /tmp.
[ -n "${dir%/}" ] || die "FLINK_CLUSTER_DIR must not be /"

# write_conf: the cluster's configuration. Every address is localhost, so nothing listens on
# other interfaces; TaskManagers' RPC, data and blob ports are picked free by each process.
write_conf() {
  rm -rf "$conf" # Flink would read a flink-conf.yaml left there before config.yaml
  mkdir -p "$conf" "$dir/log"
  local restart
  if [ "$restarts" -gt 0 ]; then
    # A lost TaskManager costs up to two attempts: one when its partners lose their connections
    # to it, one when the restarted job reads a finished result that was on it. Three survive one
    # loss with one to spare. Attempts made before the JobManager has given the TaskManager up
    # fail at once: with 2 s between them all three went within 8 s of a kill.
    restart="restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: $restarts
restart-strategy.fixed-delay.delay: ${FLINK_RESTART_DELAY:-10 s}"
  else
    restart="restart-strategy.type: none"
  fi
  cat > "$conf/config.yaml" <<EOF
# Written by pipelines/flink-cluster.sh at each start.
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: localhost
taskmanager.host: localhost
taskmanager.bind-host: localhost
rest.address: localhost
rest.bind-address: localhost
rest.port: $rest_port
jobmanager.memory.process.size: ${FLINK_JM_MEMORY:-1g}
taskmanager.memory.process.size: ${FLINK_TM_MEMORY:-1280m}
# Beam's batch translation sorts little in managed memory; the job's heap needs more (a
# 1280m TaskManager then has about 370 MB of task heap instead of 27 MB).
taskmanager.memory.managed.fraction: 0.15
taskmanager.numberOfTaskSlots: $slots
parallelism.default: $((taskmanagers * slots))
# For a job run with --useDataStreamForBatch=true (the job sets it only embedded): Flink's adaptive
# batch scheduler would give its reader, which reads a few hundred bytes of file ranges, one subtask.
execution.batch.adaptive.auto-parallelism.enabled: false
$restart
# A TaskManager killed without a goodbye is given up after 15 s instead of 50 s.
heartbeat.interval: 3000
heartbeat.timeout: 15000
io.tmp.dirs: $dir/tmp
web.tmpdir: $dir/tmp/web
blob.storage.directory: $dir/tmp/blob
EOF
  mkdir -p "$dir/tmp"
}

# resource_params CLASS-COMMAND: Flink's own memory arithmetic (what bin/taskmanager.sh does):
# the first line its JVM flags, the second its dynamic properties (-D key=value).
resource_params() {
  local out
  out=$("$java_bin" -cp "$jar" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
    --configDir "$conf" 2>&1) || die "BashJavaUtils $1 failed: $out"
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<< "$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' | tail -2
}

# alive NAME: true when NAME's PID file names a live process of this cluster (its command line
# carries this cluster's configuration folder), so a reused PID is never taken for ours.
alive() {
  local pidfile="$dir/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  ps -ww -o args= -p "$pid" 2> /dev/null | grep -qF -- "--configDir $conf"
}

# rest PATH: the REST answer's body, over bash's /dev/tcp (no curl needed).
rest() {
  local reply
  reply=$({
    printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&3
    timeout 5 cat <&3
  } 3<> "/dev/tcp/localhost/$rest_port") || return 1
  [[ "$reply" == HTTP/1.?" 200"* ]] || return 1
  printf '%s\n' "${reply#*$'\r\n\r\n'}"
}

# overview_field NAME: an integer field of /overview.
overview_field() {
  rest /overview 2> /dev/null | grep -o "\"$1\":[0-9]*" | cut -d: -f2
}

# spawn NAME CLASS JVM-FLAGS DYNAMIC-PROPERTIES: starts one process in the background, detached
# from this shell, with its output in log/NAME.log and its PID in NAME.pid.
spawn() {
  local name=$1 class=$2 jvm=$3 props=$4
  local -a jvm_flags prop_args
  read -r -a jvm_flags <<< "$jvm"
  read -r -a prop_args <<< "$props"
  # The flags the launch scripts use (pipelines/args.sh). Flink's list of --add-opens and
  # --add-exports is left out: this job runs on Java 17 without it (ClusterIT).
  # Flink's own progress (restarts, lost TaskManagers) at info; the jar's default is warnings.
  nohup "$java_bin" "${jvm_flags[@]}" "${flink_jvm[@]}" -Dorg.slf4j.simpleLogger.log.org.apache.flink=info \
    "${java_opts[@]}" -cp "$jar" "$class" \
    --configDir "$conf" "${prop_args[@]}" > "$dir/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}

# next_taskmanager: one more than the highest number with a PID file, so a replacement does not
# take a lost TaskManager's log.
next_taskmanager() {
  local i=1
  while [ -e "$dir/taskmanager-$i.pid" ]; do i=$((i + 1)); done
  echo "$i"
}

# start_taskmanager: starts the next TaskManager and sets $started to its name.
start_taskmanager() {
  local params
  started="taskmanager-$(next_taskmanager)"
  params=$(resource_params GET_TM_RESOURCE_PARAMS)
  spawn "$started" "$tm_class" "$(sed -n 1p <<< "$params")" "$(sed -n 2p <<< "$params")"
  echo "flink-cluster: $started started, PID $(cat "$dir/$started.pid")"
}

# wait_for SECONDS TEST...: polls TEST every half second.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

registered_at_least() {
  local n
  n=$(overview_field taskmanagers)
  [ -n "$n" ] && [ "$n" -ge "$1" ]
}

pids() {
  local f
  for f in "$dir"/*.pid; do
    [ -e "$f" ] && basename "$f" .pid
  done
}

start() {
  [ -f "$jar" ] || (cd "$root" && mvn -B -q -ntp clean package -DskipTests)
  local name
  for name in $(pids); do
    alive "$name" && die "already running ($name); pipelines/flink-cluster.sh stop first"
  done
  # A killed process leaves its blobs (the job's jar among them) and spill files behind.
  rm -f "$dir"/*.pid
  rm -rf "$dir/tmp"
  write_conf
  local params i
  params=$(resource_params GET_JM_RESOURCE_PARAMS)
  spawn jobmanager "$jm_class" "$(sed -n 1p <<< "$params")" "$(sed -n 2p <<< "$params")"
  echo "flink-cluster: jobmanager started, PID $(cat "$dir/jobmanager.pid")"
  for ((i = 1; i <= taskmanagers; i++)); do start_taskmanager; done
  if ! wait_for 120 registered_at_least "$taskmanagers"; then
    status || true
    die "the TaskManagers did not register within 120 s; logs in $dir/log"
  fi
  echo "flink-cluster: REST on localhost:$rest_port, $taskmanagers TaskManagers of $slots slots;" \
    "submit with pipelines/flink.sh --flinkMaster=localhost:$rest_port"
}

add_taskmanager() {
  alive jobmanager || die "no JobManager running; pipelines/flink-cluster.sh start first"
  start_taskmanager
  local log="$dir/log/$started.log"
  wait_for 120 grep -q 'Successful registration at resource manager' "$log" \
    || die "the TaskManager did not register within 120 s; see $log"
}

stop() {
  local name pid stopped=0
  # TaskManagers first, so the JobManager does not restart jobs on them meanwhile.
  for name in $(pids | sort -r); do
    if alive "$name"; then
      pid=$(cat "$dir/$name.pid")
      kill "$pid"
      if ! wait_for 30 bash -c "! kill -0 $pid 2> /dev/null"; then
        kill -9 "$pid" 2> /dev/null || true
      fi
      echo "flink-cluster: $name (PID $pid) stopped"
      stopped=$((stopped + 1))
    fi
    rm -f "$dir/$name.pid"
  done
  [ "$stopped" -gt 0 ] || echo "flink-cluster: nothing was running"
  rm -rf "$dir/tmp"
}

status() {
  local name any=1 registered
  for name in $(pids); do
    if alive "$name"; then
      echo "$name: running, PID $(cat "$dir/$name.pid")"
      any=0
    else
      echo "$name: not running (stale PID file)"
    fi
  done
  if rest /overview > /dev/null 2>&1; then
    registered=$(overview_field taskmanagers)
    echo "REST localhost:$rest_port: answers; $registered TaskManagers registered," \
      "$(overview_field slots-available) of $(overview_field slots-total) slots free," \
      "$(overview_field jobs-running) jobs running"
  else
    echo "REST localhost:$rest_port: no answer"
  fi
  return "$any"
}

case "${1:-}" in
  start) start ;;
  add-taskmanager) add_taskmanager ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: pipelines/flink-cluster.sh start|stop|status|add-taskmanager" ;;
esac
