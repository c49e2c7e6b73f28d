#!/usr/bin/env bash
# Runs the job on sample-data with the FlinkRunner.
#   pipelines/flink.sh [options]                  embedded mini-cluster, parallelism 2
#   pipelines/flink.sh --flinkMaster=host:8081    submits to a running Flink 1.19 cluster
# Defaults: the sample corpus, 2 heads, output in target/out/flink. Start it with java -jar
# (or java -cp); `mvn exec:java` breaks Flink's class loading.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/beam-attention.jar ] || mvn -B -q -ntp package -DskipTests
args=("$@")
has() { for a in "${args[@]}"; do [[ "$a" == "--$1="* ]] && return 0; done; return 1; }
has input || args+=("--input=sample-data/corpus/*.jsonl.gz")
has output || args+=("--output=target/out/flink")
has heads || args+=("--heads=2")
has flinkMaster || args+=("--flinkMaster=[local]")
has parallelism || args+=("--parallelism=2")
exec java ${JAVA_OPTS:-} -jar target/beam-attention.jar --runner=FlinkRunner "${args[@]}"
