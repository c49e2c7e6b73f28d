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
