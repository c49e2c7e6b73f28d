#!/usr/bin/env python3
"""Checks the job's Parquet outputs with pyarrow, a reader other than the job's (by hand, not CI).

    /tmp/venv-pq/bin/python src/test/resources/parquet/check_outputs.py PARQUET_OUT JSONL_OUT

PARQUET_OUT is a run with --outputFormat=parquet, JSONL_OUT the same run with JSON Lines
outputs. Checks the column names and types (id string, tokens list<string>, output
list<list<double>>, weights list<list<list<double>>>), that the files are snappy-compressed, and
that every value equals the JSON Lines one exactly. Prints one line per file kind; exits 1 on a
difference.
"""
import glob
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

EXPECTED = {
    "contextual": ("output", pa.list_(pa.list_(pa.float64()))),
    "attention": ("weights", pa.list_(pa.list_(pa.list_(pa.float64())))),
}


def plain(t):
    """A type's text without nullability or element names (Parquet's "element", Arrow's "item")."""
    return str(t).replace(" not null", "").replace("element: ", "").replace("item: ", "")


def main(parquet_out, jsonl_out):
    ok = True
    for kind, (field, value_type) in EXPECTED.items():
        files = sorted(glob.glob(f"{parquet_out}/{kind}-*.parquet"))
        if not files:
            print(f"{kind}: no files")
            ok = False
            continue
        table = pa.concat_tables([pq.read_table(f) for f in files])
        names = table.schema.names
        types_ok = (
            names == ["id", "tokens", field]
            and table.schema.field("id").type == pa.string()
            and table.schema.field("tokens").type.value_type == pa.string()
            and plain(table.schema.field(field).type) == plain(value_type)
        )
        codecs = {
            pq.ParquetFile(f).metadata.row_group(g).column(c).compression
            for f in files
            for g in range(pq.ParquetFile(f).metadata.num_row_groups)
            for c in range(pq.ParquetFile(f).metadata.num_columns)
        }
        expected = {}
        for path in glob.glob(f"{jsonl_out}/{kind}-*.jsonl"):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    expected[r["id"]] = (r["tokens"], r[field])
        rows = {r["id"]: (r["tokens"], r[field]) for r in table.to_pylist()}
        same = rows == expected
        print(
            f"{kind}: {len(files)} files, {table.num_rows} rows, columns {names}, "
            f"types {'ok' if types_ok else table.schema}, codecs {sorted(codecs)}, "
            f"{'equal to' if same else 'DIFFERENT from'} the JSON Lines"
        )
        ok = ok and types_ok and same and codecs == {"SNAPPY"}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
