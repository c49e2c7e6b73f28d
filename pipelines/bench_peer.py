#!/usr/bin/env python3
"""The peer of pipelines/bench.sh: the script a user would write instead of the Beam job.

NumPy with orjson, one process, reading the same JSON Lines and the same weights.npz, writing the
same two outputs (contextual.jsonl and attention.jsonl) and the error records:

    python3 pipelines/bench_peer.py --input corpus.jsonl --weights weights.npz --heads 4 --out DIR

The math is the README's: per head, softmax(scale * Q K^T) V with scale 1/sqrt(d_k), heads
concatenated, then w_o and b_o when present. Written plainly and vectorised the way NumPy users
do: one matmul per projection, batched over heads.
"""
import argparse
import os

import numpy as np
import orjson


def attend(x, w, heads):
    n = x.shape[0]
    q = x @ w["w_q"] + w.get("b_q", 0.0)
    k = x @ w["w_k"] + w.get("b_k", 0.0)
    v = x @ w["w_v"] + w.get("b_v", 0.0)
    dk = q.shape[1] // heads
    dv = v.shape[1] // heads
    qh = q.reshape(n, heads, dk).transpose(1, 0, 2)
    kh = k.reshape(n, heads, dk).transpose(1, 0, 2)
    vh = v.reshape(n, heads, dv).transpose(1, 0, 2)
    s = (qh @ kh.transpose(0, 2, 1)) / np.sqrt(dk)
    s -= s.max(axis=-1, keepdims=True)
    a = np.exp(s)
    a /= a.sum(axis=-1, keepdims=True)
    h = (a @ vh).transpose(1, 0, 2).reshape(n, heads * dv)
    if "w_o" in w:
        h = h @ w["w_o"] + w.get("b_o", 0.0)
    return h, a


def load_weights(path):
    return {k: np.asarray(v, dtype=np.float64) for k, v in np.load(path).items()}


def process(lines, w, heads, ctx, att, err):
    """Each line to a contextual and an attention record, or to an error record; blank lines skipped."""
    opts = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_APPEND_NEWLINE
    for line in lines:
        if not line.strip():
            continue
        try:
            rec = orjson.loads(line)
            x = np.asarray(rec["embeddings"], dtype=np.float64)
            tokens = rec["tokens"]
            if x.ndim != 2 or x.shape[0] != len(tokens) or x.shape[1] != w["w_q"].shape[0]:
                raise ValueError(f"embeddings of shape {x.shape} do not fit")
            if not np.isfinite(x).all():
                raise ValueError("embeddings are not finite")
            out, a = attend(x, w, heads)
        except (ValueError, KeyError, TypeError, orjson.JSONDecodeError) as e:
            err.write(orjson.dumps({"error": str(e), "input": line.decode("utf-8", "replace")[:10000]}, option=opts))
            continue
        ctx.write(orjson.dumps({"id": rec.get("id"), "tokens": tokens, "output": out}, option=opts))
        att.write(orjson.dumps({"id": rec.get("id"), "tokens": tokens, "weights": a}, option=opts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--weights", required=True)
    ap.add_argument("--heads", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    w = load_weights(args.weights)
    os.makedirs(args.out, exist_ok=True)
    with open(args.input, "rb") as src, \
            open(os.path.join(args.out, "contextual.jsonl"), "wb") as ctx, \
            open(os.path.join(args.out, "attention.jsonl"), "wb") as att, \
            open(os.path.join(args.out, "errors.jsonl"), "wb") as err:
        process(src, w, args.heads, ctx, att, err)


if __name__ == "__main__":
    main()
