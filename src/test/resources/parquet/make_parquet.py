#!/usr/bin/env python3
"""Writes the Parquet inputs of the Parquet tests with pyarrow, a tool other than the job.

Run from the repository's root (pyarrow is not needed by the build or CI, only to remake these):
    python3 -m venv /tmp/venv-pq && /tmp/venv-pq/bin/pip install pyarrow
    /tmp/venv-pq/bin/python src/test/resources/parquet/make_parquet.py

Writes, next to this script:
- sentences.parquet: the first 60 sentences of sample-data/corpus/sentences.jsonl.gz, float64,
  in two row groups of 30 (id string, tokens list<string>, embeddings list<list<double>>);
- sentences-float32.parquet: the same with float32 embeddings and no id column;
- bad-rows.parquet: good and bad rows (tokens missing, ragged, NaN, Infinity, fewer rows than
  tokens, empty tokens, a null token, a null value), the bad rows' positions in BAD_ROWS below;
- wrong-types.parquet: tokens as list<int64>, which no row can be read from;
- not-parquet.parquet: JSON Lines text under a Parquet name.
"""
import gzip
import json
import math
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = pathlib.Path("sample-data/corpus/sentences.jsonl.gz")
COUNT = 60

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("tokens", pa.list_(pa.string())),
        ("embeddings", pa.list_(pa.list_(pa.float64()))),
    ]
)


def corpus():
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        return [json.loads(next(f)) for _ in range(COUNT)]


def main():
    rows = corpus()
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    pq.write_table(table, HERE / "sentences.parquet", row_group_size=30)

    float32 = pa.schema(
        [
            ("tokens", pa.list_(pa.string())),
            ("embeddings", pa.list_(pa.list_(pa.float32()))),
        ]
    )
    pq.write_table(
        pa.Table.from_pylist(
            [{"tokens": r["tokens"], "embeddings": r["embeddings"]} for r in rows[:10]],
            schema=float32,
        ),
        HERE / "sentences-float32.parquet",
    )

    good = rows[:3]
    bad = [
        good[0],
        {"id": "no-tokens", "tokens": None, "embeddings": [[1.0] * 8]},
        {"id": "ragged", "tokens": ["a", "b"], "embeddings": [[1.0] * 8, [1.0] * 7]},
        good[1],
        {"id": "nan", "tokens": ["a"], "embeddings": [[1.0] * 7 + [math.nan]]},
        {"id": "inf", "tokens": ["a"], "embeddings": [[math.inf] + [1.0] * 7]},
        {"id": "short", "tokens": ["a", "b"], "embeddings": [[1.0] * 8]},
        {"id": "empty", "tokens": [], "embeddings": []},
        {"id": "null-token", "tokens": ["a", None], "embeddings": [[1.0] * 8] * 2},
        {"id": "null-value", "tokens": ["a"], "embeddings": [[1.0] * 7 + [None]]},
        {"id": None, "tokens": good[2]["tokens"], "embeddings": good[2]["embeddings"]},
    ]
    pq.write_table(pa.Table.from_pylist(bad, schema=SCHEMA), HERE / "bad-rows.parquet")

    wrong = pa.schema([("id", pa.string()), ("tokens", pa.list_(pa.int64()))])
    pq.write_table(
        pa.Table.from_pylist([{"id": "ints", "tokens": [1, 2, 3]}], schema=wrong),
        HERE / "wrong-types.parquet",
    )

    (HERE / "not-parquet.parquet").write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
