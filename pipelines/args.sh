# Sourced by the launch scripts with their arguments: `default NAME VALUE` adds --NAME=VALUE to
# "${args[@]}" unless the command line gives --NAME already. The scripts do not change directory,
# so relative paths on the command line are the caller's; "$root" is the project, "$jar" the jar.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/beam-attention.jar"
args=("$@")
# JAVA_OPTS split at spaces, without glob expansion (-Xlog:gc*:file=... stays as it is).
read -r -a java_opts <<< "${JAVA_OPTS:-}"
default() {
  local a
  for a in "${args[@]}"; do
    [[ "$a" == "--$1="* ]] && return 0
  done
  args+=("--$1=$2")
}

# JVM flags the launch scripts and bench.sh share.
#
# C2 later: HotSpot's optimising compiler takes a method after 100,000 calls (default 5,000) or
# 400,000 loop iterations (default 40,000). The kernels and parsers still get there within the
# first second, but the many Beam and runner methods that are only warm do not, and compiling
# them cost more CPU than it gave back. On the 2-core benchmark machine (two runs each):
# compilation time fell from about 11 s to 3.8 s and the 576 MB DirectRunner run from about 11.3
# to 8.8 s (200,000 calls was no better); the embedded FlinkRunner went from 16-18 s to 14 s (a
# first try, with 50,000 calls).
#
# Our own code is scaled back to 5% of those thresholds (5,000 calls, as by default): the vector
# kernel is very slow until C2 compiles it (the vector API runs boxed in the interpreter and C1),
# and the parser and formatter are hot from the first sentence. That cut the 576 MB run from
# 10.5-12.4 s to 9.1-10.4 s (two runs each, with the vector kernel).
#
# Loops wait for 2,000,000 iterations (100,000 for our code) before C2 compiles a method in the
# middle of a call (on-stack replacement). A kernel's loop otherwise got there before the
# method's own call count, and C2 compiled it twice: 1.4 s of the 576 MB run's 5.5 s of C2 time
# was such compilations. 13 pairs on 2026-12-03: median 0.95 of the run's time (576 MB
# DirectRunner, eight pairs, 0.94; 2 GB and embedded Flink mixed).
jit=(-XX:Tier4InvocationThreshold=100000 -XX:Tier4MinInvocationThreshold=40000
  -XX:Tier4CompileThreshold=120000 -XX:Tier4BackEdgeThreshold=2000000
  -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,dev/beamattention/*.*,0.05)
# The vector API (incubating in Java 17; the JVM says so once on stderr) for the matrix kernel:
# about 1.6x the plain loop's speed on the projections, with the same bits. A JVM started
# without it (a Dataflow worker, say) runs the plain loop.
vector=(--add-modules=jdk.incubator.vector)
# No transparent huge pages. An earlier machine ran the 576 MB corpus in 8.7-8.9 s with
# -XX:+UseTransparentHugePages against 11.3-12.2 s without, but on the 2-core benchmark machine of
# 2026-12-03 (a virtual machine, THP on request with defrag on request) each 2 MB fault cost so
# much system time that the flag made runs up to twice as slow: 2 GB DirectRunner, three pairs,
# 25.2-39.6 s with 10.7-36.4 s of system time against 21.6-22.4 s with 4.8-5.0 s; 576 MB 14.4-15.4
# s against 9.4-9.7 s. A host where it pays can add it through JAVA_OPTS.
# The DirectRunner and embedded Flink (local.sh, flink.sh) run on the parallel collector, asked
# to spend at most a tenth of the time collecting (-XX:GCTimeRatio=9; its default, 99, grows the heap for a 1% goal). The live data is
# small (sentences in flight, the weights) and the rest is garbage within a bundle, which a
# stop-the-world copying collector takes cheaply, without G1's write barriers and concurrent
# threads on two cores. On the 2-core benchmark machine, 2026-12-03, in turns: 576 MB 8.6-9.0 s
# (RSS 460-590 MB) against 9.1-9.5 s (750-840 MB) for G1 with -XX:GCTimeRatio=1, three pairs; 2 GB
# 20.9 and 21.5 s (500-580 MB) against 22.0 and 21.6 s (1.4-1.7 GB), and 21.7 s in -Xmx1g. With
# GCTimeRatio=19 it was no faster and the heap grew to 2.3 GB. (An earlier try of the parallel
# collector ran out of memory in -Xmx1g, "GC overhead limit", when the DirectRunner still held
# most of a corpus in flight; see --rangesPerFile.)
# The young generation stops at 256 MB (-XX:MaxNewSize): without a cap the collector's size
# policy grew it, and the heap to about 2 GB on the 2 GB corpus; each page touched for the first
# time costs a fault, dear on a VM that hands freed pages back to its host. A cap rather than a
# fixed size (-Xmn256m, as fast): -Xmn warns at every start where the initial heap is 256 MB or
# less (machines of 16 GB or less). Measurements: pipelines/README.md.
heap=(-XX:+UseParallelGC -XX:GCTimeRatio=9 -XX:MaxNewSize=256m)
# Spark keeps G1 (not measured against the parallel collector), with the heap held near what is
# live: G1 grows the heap when collecting takes more than 1/(1+GCTimeRatio) of the time, 8% by
# default, which grew the DirectRunner's heap to 3.5 GB on the 2 GB corpus when it ran on G1.
spark_heap=(-XX:GCTimeRatio=1)
# Embedded Flink (flink.sh): once its managed memory was cut to 64 MB (job/FlinkBatchConf), the
# parallel collector was faster there too: 2 GB, four pairs, 22.3, 21.5, 22.6, 21.4 s against
# 23.7, 22.5, 22.6, 23.0 s for G1, RSS 480-590 MB against 570-760 MB (before the managed-memory
# change it was 3% slower). The JVMs of a Flink cluster (flink-cluster.sh) keep G1: not measured.
# The DirectRunner holds each step's bundles until the next step takes them, so much of what a
# young collection finds is still alive and copied: half the heap young (-XX:NewRatio=1, a third
# by default) should mean fewer collections, each copying about as much (reasoned from a GC log;
# the time it saved is measured in pipelines/README.md).
direct_heap=(-XX:NewRatio=1)
direct_jvm=("${jit[@]}" "${vector[@]}" "${heap[@]}" "${direct_heap[@]}")
# Flink cluster JVMs; flink.sh adds "${heap[@]}" for its embedded run.
flink_jvm=("${jit[@]}" "${vector[@]}")

# launch NAME JVM-FLAG... -- JOB-OPTION...: runs the jar with class data sharing (AppCDS). The
# first run after a build, for these JVM flags, writes the classes it loaded into
# target/NAME-KEY.jsa; later runs map them instead of loading them again, which saves about 0.4 s
# of each start. Each set of flags keeps its own archive until the next build. A run that fails
# keeps no archive (it may have loaded too few classes), and a JVM that cannot use one runs on
# without it. JAVA_OPTS with an agent or its own class-data-sharing flags skip the archive.
launch() {
  local name=$1 jvm=() status=0
  shift
  while [ "$1" != "--" ]; do
    jvm+=("$1")
    shift
  done
  shift
  # The JVM will not start to write an archive beside an agent (a debugger's -agentlib:jdwp, a
  # profiler, a -javaagent) or with class data sharing off or pointed elsewhere; with such a flag
  # in JAVA_OPTS the run goes without an archive.
  local o
  for o in "${java_opts[@]}"; do
    case "$o" in
      -javaagent:* | -agentlib:* | -agentpath:* | -Xrun* | -Xdebug | -Xshare:* | \
        -XX:[+-]UseSharedSpaces | -XX:SharedArchiveFile=* | -XX:ArchiveClassesAtExit=*)
        exec java "${jvm[@]}" "${java_opts[@]}" -jar "$jar" "$@"
        ;;
    esac
  done
  local key
  key=$(printf '%s\n' "${jvm[@]}" "${java_opts[@]}" | cksum | cut -d' ' -f1)
  local archive="$root/target/$name-$key.jsa" quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)
  if [ -f "$archive" ] && [ "$archive" -nt "$jar" ]; then
    exec java "${jvm[@]}" "-XX:SharedArchiveFile=$archive" "${quiet[@]}" "${java_opts[@]}" \
      -jar "$jar" "$@"
  fi
  # Archives for other flags stay (switching JAVA_OPTS back and forth would otherwise write an
  # archive on every switch, and a writing run is seconds slower); those older than the jar go.
  local old
  for old in "$root/target/$name"-*.jsa; do
    if [ -f "$old" ] && ! [ "$old" -nt "$jar" ]; then rm -f "$old"; fi
  done
  java "${jvm[@]}" "-XX:ArchiveClassesAtExit=$archive" "${quiet[@]}" "${java_opts[@]}" \
    -jar "$jar" "$@" || status=$?
  [ "$status" = 0 ] || rm -f "$archive"
  return "$status"
}
