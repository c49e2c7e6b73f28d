#!/usr/bin/env bash
# Runs the job on sample-data with the SparkRunner (Spark 3.5) embedded, local[2]. Builds the
# jar with the Spark runner (-Pspark) unless SKIP_BUILD=1.
#   pipelines/spark.sh [options]      e.g. --sparkMaster=local[4] --heads=4
set -euo pipefail
source "$(dirname "$0")/args.sh" "$@"
# clean: the shade plugin would otherwise wrap the jar of another profile.
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$root" && mvn -B -q -ntp -Pspark clean package -DskipTests)
default input "$root/sample-data/corpus/*.jsonl.gz"
default output "$root/out/spark"
default heads "2"
default sparkMaster "local[2]"
exec java "${jit[@]}" "${vector[@]}" "${spark_heap[@]}" "${java_opts[@]}" -jar "$jar" --runner=SparkRunner "${args[@]}"
