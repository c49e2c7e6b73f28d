"""What the Python peer pays per number for text: orjson.loads on corpus lines, np.array on the
lists it returns, and orjson.dumps of a contextual record, in nanoseconds per embedding number.
Compare with CodecBenchmark (parse, formatContextual) divided by its numbers.

    python3 pipelines/peer_codec_cost.py /tmp/beam-attention-bench/corpus-5000-seed7.jsonl
"""
import sys
import time

import numpy as np
import orjson

LINES = 300


def main(path):
    with open(path, "rb") as f:
        lines = [f.readline() for _ in range(LINES)]
    lines = [line for line in lines if line.strip()]
    t = time.perf_counter()
    records = [orjson.loads(line) for line in lines]
    loads = time.perf_counter() - t
    numbers = sum(len(r["embeddings"]) * len(r["embeddings"][0]) for r in records)
    t = time.perf_counter()
    arrays = [np.array(r["embeddings"]) for r in records]
    to_array = time.perf_counter() - t
    t = time.perf_counter()
    for r, a in zip(records, arrays):
        orjson.dumps({"id": r["id"], "tokens": r["tokens"], "output": a},
                     option=orjson.OPT_SERIALIZE_NUMPY)
    dumps = time.perf_counter() - t
    for name, secs in (("orjson.loads", loads), ("np.array", to_array), ("orjson.dumps", dumps)):
        print(f"{name:13s} {secs / numbers * 1e9:6.1f} ns a number ({numbers} numbers)")


if __name__ == "__main__":
    main(sys.argv[1])
