#!/usr/bin/env bash
# Runs the job on sample-data with the embedded DirectRunner.
#   pipelines/local.sh [options]    e.g. --heads=4 --attention=mean --output=/tmp/run
# Defaults: the sample corpus, 2 heads, output in target/out/local.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/beam-attention.jar ] || mvn -B -q -ntp package -DskipTests
source pipelines/args.sh "$@"
default input "sample-data/corpus/*.jsonl.gz"
default output "target/out/local"
default heads "2"
cds local
exec java "${direct_jvm[@]}" "${cds[@]}" ${JAVA_OPTS:-} -jar target/beam-attention.jar "${args[@]}"
