#!/usr/bin/env bash
# JSON Lines against Parquet, in and out, on the bench corpus (bench.sh's: 5,000 sentences,
# d_model 256, 4 heads, its weights.npz), DirectRunner, one run each: wall time and bytes.
# Needs pyarrow for the corpus's Parquet copy (pipelines/jsonl_to_parquet.py); run after
# `mvn package` and bench.sh (which makes the corpus and weights under $BENCH_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
source pipelines/args.sh
bench=${BENCH_DIR:-/tmp/beam-attention-bench}
python=${PYTHON:-python3}
corpus=$bench/corpus-5000-seed7.jsonl
weights=$bench/weights.npz
parquet=${PARQUET:-$bench/corpus-5000-seed7.parquet}
outs=${OUT_DIR:-$bench}
[[ -f $parquet ]] || "$python" pipelines/jsonl_to_parquet.py "$corpus" "$parquet"
printf "%-24s %12s %8s %14s\n" "input -> output" "input bytes" "wall s" "output bytes"
for pair in "jsonl jsonl" "parquet parquet" "jsonl parquet" "parquet jsonl"; do
  read -r in out <<< "$pair"
  input=$([[ $in == jsonl ]] && echo "$corpus" || echo "$parquet")
  dir=$outs/formats-$in-$out
  rm -rf "$dir"
  start=$(date +%s.%N)
  java "${direct_jvm[@]}" -jar target/beam-attention.jar --input="$input" --weights="$weights" \
    --heads=4 --output="$dir" --outputFormat="$out" --enforceImmutability=false \
    --enforceEncodability=false 2> "$dir.log"
  secs=$(echo "$(date +%s.%N) - $start" | bc -l)
  bytes=$(cat "$dir"/contextual-* "$dir"/attention-* | wc -c)
  printf "%-24s %12d %8.1f %14d\n" "$in -> $out" "$(stat -c %s "$input")" "$secs" "$bytes"
done
