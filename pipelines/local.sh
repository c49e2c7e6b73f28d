#!/usr/bin/env bash
# Runs the job on sample-data with the embedded DirectRunner.
#   pipelines/local.sh [options]    e.g. --heads=4 --attention=mean --output=/tmp/run
# Defaults: the sample corpus, 2 heads, output in target/out/local.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/beam-attention.jar ] || mvn -B -q -ntp package -DskipTests
args=("$@")
has() { for a in "${args[@]}"; do [[ "$a" == "--$1="* ]] && return 0; done; return 1; }
has input || args+=("--input=sample-data/corpus/*.jsonl.gz")
has output || args+=("--output=target/out/local")
has heads || args+=("--heads=2")
exec java ${JAVA_OPTS:-} -jar target/beam-attention.jar "${args[@]}"
