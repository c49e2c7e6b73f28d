#!/usr/bin/env bash
# Memory check of #5: a corpus larger than the heap. Makes a deterministic 2 GB corpus (17,500
# sentences, d_model 256; kept in $BENCH_DIR like bench.sh's) and runs the job on it with
# -Xmx1g on the DirectRunner and the embedded FlinkRunner, then on bench.sh's 576 MB corpus the
# same way: peak RSS stays under the heap plus the JVM's own, whatever the corpus size. JVM flags
# as the launch scripts set them.
#
#   pipelines/bench-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source pipelines/args.sh  # the launch scripts' JVM flags
bench=${BENCH_DIR:-/tmp/beam-attention-bench}
mkdir -p "$bench"
mvn -B -q -ntp clean package -DskipTests
for spec in "5000 7" "17500 9"; do
  read -r n seed <<< "$spec"
  corpus=$bench/corpus-$n-seed$seed.jsonl
  [ -f "$corpus" ] || python3 sample-data/make_corpus.py --sentences "$n" --d-model 256 \
    --min-tokens 8 --max-tokens 40 --seed "$seed" --out "$corpus"
done
weights=$bench/weights.npz
[ -f "$weights" ] || { echo "run pipelines/bench.sh first: it makes $weights" >&2; exit 1; }
printf "%-40s %8s %8s %10s\n" "" "MB in" "wall s" "peak RSS MB"
for spec in "5000 7" "17500 9"; do
  read -r n seed <<< "$spec"
  corpus=$bench/corpus-$n-seed$seed.jsonl
  for runner in DirectRunner FlinkRunner; do
    extra=()
    jvm=("${direct_jvm[@]}")
    if [ "$runner" = FlinkRunner ]; then
      extra=(--flinkMaster='[local]' --parallelism=2)
      jvm=("${flink_jvm[@]}" "${heap[@]}")
    fi
    rm -rf "$bench/memory-out"
    sync # the previous run's writes, written back before this one starts (as in bench.sh)
    /usr/bin/time -f "%e %M" -o "$bench/memory-time.txt" java "${jvm[@]}" "${java_opts[@]}" -Xmx1g \
      -jar target/beam-attention.jar \
      --runner=$runner --input="$corpus" --weights="$weights" --heads=4 \
      --output="$bench/memory-out" "${extra[@]}" > "$bench/memory-$runner-$n.log" 2>&1
    read -r secs kb < "$bench/memory-time.txt"
    printf "%-40s %8d %8.1f %10d\n" "-Xmx1g, $runner, $n sentences" "$(du -m "$corpus" | cut -f1)" \
      "$secs" "$((kb / 1024))"
  done
done
rm -rf "$bench/memory-out"
