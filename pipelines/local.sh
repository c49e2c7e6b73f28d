#!/usr/bin/env bash
# Runs the job on sample-data with the embedded DirectRunner.
#   pipelines/local.sh [options]    e.g. --heads=4 --attention=mean --output=/tmp/run
# Defaults: the sample corpus, 2 heads, output in out/local.
set -euo pipefail
source "$(dirname "$0")/args.sh" "$@"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -ntp clean package -DskipTests)
default input "$root/sample-data/corpus/*.jsonl.gz"
default output "$root/out/local"
default heads "2"
launch local "${direct_jvm[@]}" -- "${args[@]}"
