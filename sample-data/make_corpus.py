#!/usr/bin/env python3
"""Deterministic corpus of JSON Lines sentences for beam-attention.

The same arguments always give the same bytes (Python's random.Random is specified, and gzip's
timestamp is fixed at 0), so the committed sample corpus can be remade and larger ones generated
for benchmarks:

    python3 sample-data/make_corpus.py --sentences 3000 --d-model 8 --decimals 4 \
        --out sample-data/corpus/sentences.jsonl.gz
    python3 sample-data/make_corpus.py --sentences 5000 --d-model 256 --min-tokens 8 \
        --max-tokens 40 --out /tmp/bench.jsonl
    python3 sample-data/make_corpus.py --text "The cat sat on the mat ." --id cat \
        --decimals 4 --out sample-data/cat/sentences.jsonl
    python3 sample-data/make_corpus.py --sentences 200 --decimals 4 --tokens-only --unknown 0.01 \
        --capitalized 0.1 --vocabulary 500 --table sample-data/glove/vectors.txt \
        --out sample-data/glove/sentences.jsonl

A word's embedding depends only on the word and --seed, as in a real embedding table.
"""
import argparse
import gzip
import json
import random
import sys

SYLLABLES = ["ka", "to", "ri", "en", "sa", "mo", "lu", "pe", "di", "an", "or", "ve", "ni", "qu", "zo"]


def vocabulary(rng, size):
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))))
    return sorted(words)


def embedding(word, d_model, seed, decimals):
    rng = random.Random(f"{seed}:{word}")
    row = [rng.gauss(0.0, 1.0) for _ in range(d_model)]
    return [round(v, decimals) for v in row] if decimals is not None else row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--d-model", type=int, default=8)
    ap.add_argument("--min-tokens", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=30)
    ap.add_argument("--vocabulary", type=int, default=2000)
    ap.add_argument("--decimals", type=int, default=None, help="round values (default: full precision)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tokens-only", action="store_true", help="leave embeddings out (for --embeddings)")
    ap.add_argument("--table", help="also write the vocabulary's vectors here, GloVe text form")
    ap.add_argument("--unknown", type=float, default=0.0, help="share of tokens not in --table")
    ap.add_argument("--capitalized", type=float, default=0.0,
                    help="share of sentences whose first token is capitalized (as a sentence's"
                    " first word is), for tables of lowercase words and --lowercase")
    ap.add_argument("--text", help="one sentence of these whitespace-separated tokens instead")
    ap.add_argument("--id", default="s", help="id (with --text) or id prefix")
    ap.add_argument("--out", default="-", help="file to write (.gz is compressed), - for stdout")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    # Its own generator, so that capitalizing leaves every other draw as it was.
    capitals = random.Random(args.seed + 1)
    words = vocabulary(rng, args.vocabulary)
    table = {}
    out = sys.stdout
    if args.out != "-":
        raw = open(args.out, "wb")
        out = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") if args.out.endswith(".gz") else raw
    for i in range(1 if args.text else args.sentences):
        if args.text:
            tokens = args.text.split()
        else:
            n = rng.randint(args.min_tokens, args.max_tokens)
            tokens = [rng.choice(words) for _ in range(n)]
            if args.unknown:
                tokens = [t if rng.random() >= args.unknown else t.upper() + "X" for t in tokens]
            if args.capitalized and capitals.random() < args.capitalized:
                tokens[0] = tokens[0].capitalize()
        rows = []
        for t in tokens:
            if t not in table:
                table[t] = embedding(t, args.d_model, args.seed, args.decimals)
            rows.append(table[t])
        record = {"id": args.id if args.text else f"{args.id}{i:07d}", "tokens": tokens}
        if not args.tokens_only:
            record["embeddings"] = rows
        line = json.dumps(record, separators=(",", ":"))
        if out is sys.stdout:
            out.write(line + "\n")
        else:
            out.write((line + "\n").encode("utf-8"))
    if out is not sys.stdout:
        out.close()
        if out is not raw:
            raw.close()
    if args.table:
        with open(args.table, "w", encoding="utf-8") as t:
            for w in words:
                t.write(w + " " + " ".join(repr(v) for v in embedding(w, args.d_model, args.seed, args.decimals)) + "\n")


if __name__ == "__main__":
    main()
