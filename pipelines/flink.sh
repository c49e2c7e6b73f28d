#!/usr/bin/env bash
# Runs the job on sample-data with the FlinkRunner.
#   pipelines/flink.sh [options]                  embedded mini-cluster, parallelism 2
#   pipelines/flink.sh --flinkMaster=host:8081    submits to a running Flink 1.19 cluster
# Defaults: the sample corpus, 2 heads, output in target/out/flink. Start it with java -jar
# (or java -cp); `mvn exec:java` breaks Flink's class loading.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/beam-attention.jar ] || mvn -B -q -ntp package -DskipTests
source pipelines/args.sh "$@"
default input "sample-data/corpus/*.jsonl.gz"
default output "target/out/flink"
default heads "2"
default flinkMaster "[local]"
default parallelism "2"
cds flink
exec java "${flink_jvm[@]}" "${cds[@]}" ${JAVA_OPTS:-} -jar target/beam-attention.jar --runner=FlinkRunner "${args[@]}"
