#!/usr/bin/env bash
# JMH benchmark of the attention kernel, single thread: microseconds per sentence and GFLOP/s
# for n in {8, 32, 128, 512}, d_model in {64, 256, 768}, h in {1, 8}; then the 128 x 768 x 768
# projection product by our kernel and by Commons Math, in the same run.
#   pipelines/bench-kernel.sh [extra JMH options]
# The forks run with the vector API; for the plain-loop kernel add
#   -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dbeamattention.gemm=FMA"
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -Pjmh package -DskipTests
out=target/jmh
mkdir -p "$out"
java -jar target/benchmarks.jar 'AttentionBenchmark|GemmBenchmark' -t 1 -rf json -rff "$out/kernel.json" "$@" \
  > "$out/kernel.log"
python3 - "$out/kernel.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print(f"{'n':>4} {'d_model':>7} {'h':>2} {'us/sentence':>12} {'GFLOP/s':>8}")
gemm = {}
for r in rows:
    name = r["benchmark"].rsplit(".", 1)[1]
    us = r["primaryMetric"]["score"]
    if "params" not in r:
        gemm[name] = us
        continue
    p = r["params"]; n, d, h = int(p["n"]), int(p["dModel"]), int(p["heads"])
    dk = dv = d // h
    flops = 2 * n * d * h * (2 * dk + dv) + 2 * n * n * h * (dk + dv)
    print(f"{n:>4} {d:>7} {h:>2} {us:>12.1f} {flops / us / 1e3:>8.1f}")
if gemm:
    flops = 2 * 128 * 768 * 768
    print()
    for name, us in sorted(gemm.items(), key=lambda kv: kv[1]):
        print(f"{name:>18}: {us:9.0f} us  {flops / us / 1e3:5.1f} GFLOP/s  ({us / gemm['gemm']:.1f}x the kernel's time)")
PY
