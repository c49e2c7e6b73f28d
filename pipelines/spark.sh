#!/usr/bin/env bash
# Runs the job on sample-data with the SparkRunner (Spark 3.5) embedded, local[2]. Builds the
# jar with the Spark runner (-Pspark) unless SKIP_BUILD=1.
#   pipelines/spark.sh [options]      e.g. --sparkMaster=local[4] --heads=4
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-0}" = 1 ] || mvn -B -q -ntp -Pspark package -DskipTests
args=("$@")
has() { for a in "${args[@]}"; do [[ "$a" == "--$1="* ]] && return 0; done; return 1; }
has input || args+=("--input=sample-data/corpus/*.jsonl.gz")
has output || args+=("--output=target/out/spark")
has heads || args+=("--heads=2")
has sparkMaster || args+=("--sparkMaster=local[2]")
exec java ${JAVA_OPTS:-} -jar target/beam-attention.jar --runner=SparkRunner "${args[@]}"
