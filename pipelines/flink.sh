#!/usr/bin/env bash
# Runs the job on sample-data with the FlinkRunner.
#   pipelines/flink.sh [options]                  embedded mini-cluster, parallelism 2
#   pipelines/flink.sh --flinkMaster=host:8081    submits to a running Flink 1.19 cluster
# Defaults: the sample corpus, 2 heads, output in out/flink. Start it with java -jar
# (or java -cp); `mvn exec:java` breaks Flink's class loading.
set -euo pipefail
source "$(dirname "$0")/args.sh" "$@"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -ntp clean package -DskipTests)
default input "$root/sample-data/corpus/*.jsonl.gz"
default output "$root/out/flink"
default heads "2"
default flinkMaster "[local]"
default parallelism "2"
launch flink "${flink_jvm[@]}" "${heap[@]}" -- --runner=FlinkRunner "${args[@]}"
