#!/usr/bin/env python3
"""The one-process-per-core peer of pipelines/bench.sh: bench_peer.py spread over the cores.

Same command line as bench_peer.py plus --workers (default os.cpu_count()), same math, same
records, same error records (it calls bench_peer.py's functions):

    python3 pipelines/bench_peer_percore.py --input corpus.jsonl --weights weights.npz --heads 4 \
        --out DIR [--workers N]

Design:
- Byte ranges. The input is cut into N ranges of equal size; a range owns the lines that start in
  it. A worker seeks to its range's start - 1 and skips to just after the next newline (as Beam's
  TextIO does), then reads lines until one starts at or after the range's end. Every line is read
  by exactly one worker, and nothing is read twice or passed between processes.
- One worker process per range (multiprocessing, 'fork' start method: the parsed weights are
  inherited, not pickled), each with BLAS on one thread. The parallelism is the processes; a
  multi-threaded BLAS in each of them would only oversubscribe the cores on these small matrices
  (n <= a few dozen tokens). OpenBLAS, MKL and OpenMP read their thread counts once, when the
  library is loaded, i.e. when numpy is first imported; a forked child inherits the parent's
  already-loaded library, so setting the variables in the child would be too late. Hence they are
  set below before anything imports numpy.
- Shards per worker. Worker K of N writes contextual-0000K-of-0000N.jsonl,
  attention-0000K-of-0000N.jsonl and errors-0000K-of-0000N.jsonl in --out (bench_peer.py's three
  kinds, named like the job's shards). The union of the shards holds the lines bench_peer.py
  writes to contextual.jsonl, attention.jsonl and errors.jsonl; within a kind the shards, taken in
  order K, keep the input order.
The parent waits for all workers and exits non-zero if any failed.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported (by bench_peer): see the docstring

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402

from bench_peer import load_weights, process  # noqa: E402  (imports numpy)


def lines_in(src, start, end):
    """The lines of the binary file src that start in [start, end)."""
    if start > 0:
        src.seek(start - 1)
        pos = start - 1 + len(src.readline())  # to just after the newline at or after start - 1
    else:
        pos = 0
    while pos < end:
        line = src.readline()
        if not line:
            return
        pos += len(line)
        yield line


def work(k, n, start, end, args, w):
    def shard(kind):
        return open(os.path.join(args.out, f"{kind}-{k:05d}-of-{n:05d}.jsonl"), "wb")
    with open(args.input, "rb") as src, shard("contextual") as ctx, shard("attention") as att, \
            shard("errors") as err:
        process(lines_in(src, start, end), w, args.heads, ctx, att, err)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--weights", required=True)
    ap.add_argument("--heads", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    w = load_weights(args.weights)
    os.makedirs(args.out, exist_ok=True)
    n = args.workers
    size = os.path.getsize(args.input)
    bounds = [size * k // n for k in range(n + 1)]
    fork = multiprocessing.get_context("fork")
    workers = [fork.Process(target=work, args=(k, n, bounds[k], bounds[k + 1], args, w), name=f"worker-{k}")
               for k in range(n)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
    failed = [f"{p.name} (exit code {p.exitcode})" for p in workers if p.exitcode != 0]
    if failed:
        sys.exit(f"bench_peer_percore: failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
