#!/usr/bin/env python3
"""Converts a JSON Lines corpus to one Parquet file the job reads (--inputFormat=parquet):
id string, tokens list<string>, embeddings list<list<double>>, snappy. Needs pyarrow.

    python3 pipelines/jsonl_to_parquet.py corpus.jsonl corpus.parquet
"""
import sys

import pyarrow as pa
import pyarrow.json as pj
import pyarrow.parquet as pq

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("tokens", pa.list_(pa.string())),
        ("embeddings", pa.list_(pa.list_(pa.float64()))),
    ]
)

if __name__ == "__main__":
    table = pj.read_json(
        sys.argv[1],
        read_options=pj.ReadOptions(block_size=64 << 20),
        parse_options=pj.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="ignore"),
    )
    pq.write_table(table, sys.argv[2], compression="snappy", row_group_size=1000)
    print(f"{table.num_rows} rows -> {sys.argv[2]}")
