# Sourced by the launch scripts with their arguments: `default NAME VALUE` adds --NAME=VALUE to
# "${args[@]}" unless the command line gives --NAME already.
args=("$@")
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
# to 8.8 s; the embedded FlinkRunner went from 16-18 s to 14 s, and a 2 GB run from 30 to 27 s
# (these two with 50,000 calls, the 2 GB one with ParallelGC on both sides; 200,000 was no
# better).
jit=(-XX:Tier4InvocationThreshold=100000 -XX:Tier4MinInvocationThreshold=40000
  -XX:Tier4CompileThreshold=120000 -XX:Tier4BackEdgeThreshold=400000)
# The collector stays G1. ParallelGC used about 10% less CPU time on the 576 MB corpus, but with
# -Xmx1g it ran out of memory on the 2 GB one (GC overhead limit) where G1 finished.
direct_jvm=("${jit[@]}")
flink_jvm=("${jit[@]}")

# Class data sharing (AppCDS): the first run of a jar writes the classes it loaded into
# target/NAME.jsa, and later runs map them from there instead of loading them again, which saves
# about 0.4 s of each start. `cds NAME` puts the flags in "${cds[@]}". A rebuilt jar makes a new
# archive; a JVM that cannot use one runs on without it.
cds() {
  local archive="target/$1.jsa"
  if [ -f "$archive" ] && [ "$archive" -nt target/beam-attention.jar ]; then
    cds=("-XX:SharedArchiveFile=$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
  else
    rm -f "$archive"
    cds=("-XX:ArchiveClassesAtExit=$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}
