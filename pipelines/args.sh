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

# JVM flags for the DirectRunner (local.sh, bench.sh). ParallelGC, the throughput collector: a
# batch job needs no short pauses, and G1's concurrent threads take CPU from the workers (on the
# 2-core benchmark machine G1 used about 10% more CPU time, three runs each). The embedded
# FlinkRunner keeps G1: with ParallelGC its heap grew to twice the size, no faster.
direct_jvm=(-XX:+UseParallelGC)

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
