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
