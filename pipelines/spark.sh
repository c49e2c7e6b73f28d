#!/usr/bin/env bash
# Runs the job on sample-data with the SparkRunner (Spark 3.5) embedded, local[2]. Builds the
# jar with the Spark runner (-Pspark) unless SKIP_BUILD=1.
#   pipelines/spark.sh [options]      e.g. --sparkMaster=local[4] --heads=4
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-0}" = 1 ] || mvn -B -q -ntp -Pspark package -DskipTests
source pipelines/args.sh "$@"
default input "sample-data/corpus/*.jsonl.gz"
default output "target/out/spark"
default heads "2"
default sparkMaster "local[2]"
exec java "${jit[@]}" ${JAVA_OPTS:-} -jar target/beam-attention.jar --runner=SparkRunner "${args[@]}"
