#!/usr/bin/env python3
"""Reference per-head statistics for HeadStatsReferenceTest, in plain NumPy.

Writes, into src/test/resources/headstats/ (relative to the project root):

  corpus.jsonl          sentences of 1 to 14 tokens from a small vocabulary
                        (so token pairs repeat), with random embeddings
  weights.json          w_q, w_k, w_v (and b_q) for the job's --weights
  expected.json         head-stats.json as the job should write it, no mask
  expected-causal.json  the same with --causal

The shapes (heads, d_model, d_k, d_v, sentence lengths) are chosen here and
nowhere else: the Java test learns the number of heads from expected.json.

Per sentence X (n x d_model) and head i, with scale 1/sqrt(d_k):
  A_i = softmax(scale * (X W_q,i + b_q,i)(X W_k,i)^T)   (causal: c > r masked)
and per head, over all rows of all sentences (every row counts once):
  entropy  = mean over rows of -sum_c a_rc ln a_rc   (visible cells, 0 ln 0 = 0)
  distance = mean over rows of sum_c a_rc |r - c|
  self = mean a_rr; previous = mean a_r,r-1 (r >= 1); next = mean a_r,r+1
  (r <= n - 2; left out when causal); first = mean a_r0
  topPairs = the 20 (token r, token c) pairs of largest total a_rc, with the
  number of cells; ties by from, then to.
Sums use math.fsum (exact, rounded once), as the job's ExactSum does.

Usage:  python3 src/test/python/make_head_stats.py [OUTPUT_DIR]
"""

import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "headstats"))

SEED = 2019
HEADS = 3
D_MODEL = 6
D_K = 4
D_V = 2
SENTENCES = 60
TOP = 20
VOCABULARY = ["the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "."]


def attention(x, w_q, b_q, w_k, causal):
    n = x.shape[0]
    maps = []
    q_all = x @ w_q + b_q
    k_all = x @ w_k
    for i in range(HEADS):
        q = q_all[:, i * D_K:(i + 1) * D_K]
        k = k_all[:, i * D_K:(i + 1) * D_K]
        s = (q @ k.T) / math.sqrt(D_K)
        if causal:
            s = np.where(np.tril(np.ones((n, n), dtype=bool)), s, -np.inf)
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        maps.append(e / e.sum(axis=1, keepdims=True))
    return maps


def statistics(corpus, w_q, b_q, w_k, causal):
    per_head = [dict(entropy=[], distance=[], self=[], previous=[], next=[],
                     first=[], pairs={}, sentences=0, rows=0)
                for _ in range(HEADS)]
    for sentence in corpus:
        x = np.array(sentence["embeddings"], dtype=np.float64)
        tokens = sentence["tokens"]
        n = len(tokens)
        for i, a in enumerate(attention(x, w_q, b_q, w_k, causal)):
            h = per_head[i]
            h["sentences"] += 1
            h["rows"] += n
            for r in range(n):
                visible = r + 1 if causal else n
                row = a[r, :visible]
                h["entropy"].extend(float(-w * math.log(w)) for w in row if w > 0)
                h["distance"].extend(float(w * abs(r - c)) for c, w in enumerate(row))
                h["self"].append(float(a[r, r]))
                h["first"].append(float(a[r, 0]))
                if r >= 1:
                    h["previous"].append(float(a[r, r - 1]))
                if not causal and r <= n - 2:
                    h["next"].append(float(a[r, r + 1]))
                for c in range(visible):
                    key = (tokens[r], tokens[c])
                    h["pairs"].setdefault(key, []).append(float(a[r, c]))
    heads = []
    for i, h in enumerate(per_head):
        rows = h["rows"]
        pairs = sorted(((-math.fsum(v), k[0], k[1], len(v)) for k, v in h["pairs"].items()))
        out = {
            "head": i,
            "sentences": h["sentences"],
            "rows": rows,
            "entropy": math.fsum(h["entropy"]) / rows,
            "distance": math.fsum(h["distance"]) / rows,
            "self": math.fsum(h["self"]) / rows,
            "previous": math.fsum(h["previous"]) / len(h["previous"]) if h["previous"] else None,
        }
        if not causal:
            out["next"] = math.fsum(h["next"]) / len(h["next"]) if h["next"] else None
        out["first"] = math.fsum(h["first"]) / rows
        out["topPairs"] = [{"from": f, "to": t, "mass": -m, "count": c}
                           for m, f, t, c in pairs[:TOP]]
        heads.append(out)
    return {"heads": heads, "tokens": per_head[0]["rows"]}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)
    w_q = rng.normal(0, 0.8, (D_MODEL, HEADS * D_K))
    b_q = rng.normal(0, 0.3, HEADS * D_K)
    w_k = rng.normal(0, 0.8, (D_MODEL, HEADS * D_K))
    w_v = rng.normal(0, 0.8, (D_MODEL, HEADS * D_V))
    vectors = {t: rng.normal(0, 1, D_MODEL) for t in VOCABULARY}
    corpus = []
    for s in range(SENTENCES):
        n = int(rng.integers(1, 15))
        tokens = [VOCABULARY[j] for j in rng.integers(0, len(VOCABULARY), n)]
        # Each occurrence gets its own vector near the word's: same tokens, different rows.
        x = [list(map(float, vectors[t] + rng.normal(0, 0.2, D_MODEL))) for t in tokens]
        corpus.append({"id": "h%03d" % s, "tokens": tokens, "embeddings": x})
    with open(os.path.join(out, "corpus.jsonl"), "w") as f:
        for sentence in corpus:
            f.write(json.dumps(sentence) + "\n")
    with open(os.path.join(out, "weights.json"), "w") as f:
        json.dump({"w_q": w_q.tolist(), "w_k": w_k.tolist(), "w_v": w_v.tolist(),
                   "b_q": b_q.tolist()}, f)
        f.write("\n")
    for name, causal in (("expected.json", False), ("expected-causal.json", True)):
        with open(os.path.join(out, name), "w") as f:
            json.dump(statistics(corpus, w_q, b_q, w_k, causal), f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
