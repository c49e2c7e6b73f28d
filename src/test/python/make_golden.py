#!/usr/bin/env python3
"""Golden-data generator for beam-attention's Java tests.

Writes, into src/test/resources/golden/ (relative to the project root):

  <case>.npz   the inputs of one case (x, w_q, w_k, w_v and, where the case
               has them, w_o, b_q, b_k, b_v, b_o) plus the expected results:
                 expected_output     n x d_out        float64
                 expected_attention  h x n x n        float64
  cases.json   a JSON list with one object per case:
                 {"name", "heads", "scale", "causal", "about", "encoding"}
               "scale" is "auto" (1/sqrt(d_k)), "none" (1) or a positive number.

The math follows the README's "The math", per sentence X (n x d_model) and head i:

  Q_i = X W_q[:, i*d_k:(i+1)*d_k] + b_q[i*d_k:(i+1)*d_k]   (K_i, V_i likewise,
                                                          V uses d_v columns)
  S_i = scale * Q_i K_i^T            (n x n); causal: S_i[r][c] = -inf for c > r
  A_i = softmax of each row of S_i   (stable: subtract the row max first)
  H_i = A_i V_i
  output = concat(H_1..H_h) W_o + b_o   (or concat(H_1..H_h) without w_o)

The expected values come from `reference_attention` below: plain float64
NumPy, nothing clever.  Some cases store matrices as float32 or in Fortran
order so that the Java .npz reader is exercised on those encodings; the
expected values are always computed from exactly the values stored in the
file (float32 values are widened to float64 first, which is exact).

Case 11 is not random: it reads its x, w_q, w_k, w_v from
src/test/resources/worked-example.json (the tutorial's 3-word example; its
"tokens" are named in the case's "about" only, since the .npz holds numbers
only) and runs it with scale "auto", i.e. 1/sqrt(d_k) = 1/sqrt(3).  The
tutorial itself printed unscaled numbers, so the script checks that the
reference with scale "none" reproduces the printed weights and output to
1e-7 (the printing's rounding) before writing the scaled case.

It also writes, into src/test/resources/npy-reference/ (a sibling of the
golden folder), plain .npy files made by np.save itself, as byte-for-byte
references for the Java .npy writer (little-endian float64, C order, format
1.0) and as inputs for the Java .npy reader:

  matrix.npy       np.arange(6, dtype='<f8').reshape(2, 3) / 7.0
                   (writer reference: 2-D, C order)
  vector.npy       np.array([0.5, -0.0, 1e308, 5e-324, -2.25], dtype='<f8')
                   (writer reference: 1-D, shape (5,), with -0.0, a huge
                   value and the smallest subnormal)
  fortran.npy      np.asfortranarray(np.arange(12, dtype='<f8').reshape(3, 4))
                   (reader: header says fortran_order True, data column by
                   column; must come back in C order as
                   [[0,1,2,3],[4,5,6,7],[8,9,10,11]])
  float32_be.npy   np.array([[1.5, -2.0], [3.25, 1e-3]], dtype='>f4')
                   (reader: big-endian float32; widened to float64 it is
                   exactly float32(1e-3), not 1e-3)

Everything is deterministic: each case draws from its own
np.random.default_rng(seed) with a fixed seed, and the .npy references are
fixed arrays.  The files are byte-for-byte reproducible too: np.save stamps
nothing, and numpy's .npz writer (zipfile.ZipFile.open(name, 'w')) gives
every entry the fixed zip time 1980-01-01 00:00:00 and the same attributes,
with entries in insertion order.  The script checks the zip times and warns
if a numpy version ever stamps the current time instead.  The only other
source of byte differences is the zlib version, which may deflate the
savez_compressed cases differently (same arrays either way).

Usage:  python3 src/test/python/make_golden.py [OUTPUT_DIR [NPY_REFERENCE_DIR]]
        (NPY_REFERENCE_DIR defaults to OUTPUT_DIR/../npy-reference)
"""

import json
import math
import os
import sys
import zipfile

import numpy as np

# Where the golden files go: src/test/resources/golden next to this script's
# parent folder, unless a directory is given on the command line.
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "golden"))
WORKED_EXAMPLE = os.path.normpath(os.path.join(HERE, "..", "resources", "worked-example.json"))


# --------------------------------------------------------------------------
# The reference implementation (plain float64 NumPy)
# --------------------------------------------------------------------------

def resolve_scale(scale, d_k):
    """Turn the contract's scale setting into a number."""
    if scale == "auto":
        return 1.0 / math.sqrt(d_k)
    if scale == "none":
        return 1.0
    value = float(scale)
    assert value > 0, "scale must be positive"
    return value


def stable_softmax_rows(s):
    """Softmax of each row of s, subtracting the row max so exp never overflows.

    Entries equal to -inf (causal mask) become exactly 0.  Every row must hold
    at least one finite value (the diagonal always does under the causal mask).
    """
    row_max = np.max(s, axis=-1, keepdims=True)
    e = np.exp(s - row_max)          # all arguments <= 0, so 0 <= e <= 1
    return e / np.sum(e, axis=-1, keepdims=True)


def reference_attention(x, w_q, w_k, w_v, heads, scale, causal,
                        w_o=None, b_q=None, b_k=None, b_v=None, b_o=None):
    """Multi-head self-attention exactly as the contract states it.

    All inputs are widened to float64 (exact for float32 and float64 input).
    Returns (output n x d_out, attention h x n x n), both float64.
    """
    f64 = lambda a: None if a is None else np.asarray(a, dtype=np.float64)
    x, w_q, w_k, w_v, w_o = map(f64, (x, w_q, w_k, w_v, w_o))
    b_q, b_k, b_v, b_o = map(f64, (b_q, b_k, b_v, b_o))

    n, d_model = x.shape
    assert w_q.shape == w_k.shape and w_q.shape[0] == d_model
    assert w_q.shape[1] % heads == 0 and w_v.shape[1] % heads == 0
    d_k = w_q.shape[1] // heads
    d_v = w_v.shape[1] // heads
    s = resolve_scale(scale, d_k)

    # Projections for all heads at once; head i is a block of columns.
    q = x @ w_q
    k = x @ w_k
    v = x @ w_v
    if b_q is not None:
        q = q + b_q
    if b_k is not None:
        k = k + b_k
    if b_v is not None:
        v = v + b_v

    attention = np.empty((heads, n, n), dtype=np.float64)
    head_outputs = []
    for i in range(heads):
        q_i = q[:, i * d_k:(i + 1) * d_k]
        k_i = k[:, i * d_k:(i + 1) * d_k]
        v_i = v[:, i * d_v:(i + 1) * d_v]

        scores = s * (q_i @ k_i.T)                       # n x n
        # No intermediate may overflow: scores must be finite before masking.
        assert np.all(np.isfinite(scores)), "scores overflowed"
        if causal:
            # Token r may only look at tokens c <= r.
            future = np.triu(np.ones((n, n), dtype=bool), k=1)
            scores = np.where(future, -np.inf, scores)

        a_i = stable_softmax_rows(scores)                # n x n, rows sum to 1
        attention[i] = a_i
        head_outputs.append(a_i @ v_i)                   # n x d_v

    concat = np.concatenate(head_outputs, axis=1)       # n x (h * d_v)
    if w_o is None:
        output = concat
    else:
        output = concat @ w_o
        if b_o is not None:
            output = output + b_o

    assert np.all(np.isfinite(output)) and np.all(np.isfinite(attention))
    return output, attention


# --------------------------------------------------------------------------
# Helpers for building cases
# --------------------------------------------------------------------------

def make_weights(rng, d_model, heads, d_k, d_v, d_out=None,
                 bias_q=False, bias_k=False, bias_v=False, bias_o=False):
    """Random weights of the contract's shapes, scaled ~1/sqrt(fan_in)."""
    g = lambda rows, cols: rng.normal(0.0, 1.0 / math.sqrt(rows), size=(rows, cols))
    w = {
        "w_q": g(d_model, heads * d_k),
        "w_k": g(d_model, heads * d_k),
        "w_v": g(d_model, heads * d_v),
    }
    if d_out is not None:
        w["w_o"] = g(heads * d_v, d_out)
    if bias_q:
        w["b_q"] = rng.normal(0.0, 0.5, size=heads * d_k)
    if bias_k:
        w["b_k"] = rng.normal(0.0, 0.5, size=heads * d_k)
    if bias_v:
        w["b_v"] = rng.normal(0.0, 0.5, size=heads * d_v)
    if bias_o:
        assert d_out is not None, "b_o only with w_o"
        w["b_o"] = rng.normal(0.0, 0.5, size=d_out)
    return w


def apply_encoding(arrays, float32=(), fortran=(), compressed=False):
    """Re-encode some arrays and describe the result in a short string.

    float32: names stored as float32 (the reference then uses these rounded
             values, so expected values match what the file holds).
    fortran: names stored in Fortran (column-major) order; they must be 2-D
             with both dimensions > 1, else numpy would store them as C order.
    """
    parts = ["savez_compressed" if compressed else "savez"]
    for name in arrays:
        tags = []
        if name in float32:
            arrays[name] = arrays[name].astype(np.float32)
            tags.append("float32")
        if name in fortran:
            a = arrays[name]
            assert a.ndim == 2 and min(a.shape) > 1, name
            arrays[name] = np.asfortranarray(a)
            tags.append("fortran")
        if tags:
            parts.append(name + " " + " ".join(tags))
    unknown = (set(float32) | set(fortran)) - set(arrays)
    assert not unknown, unknown
    return ", ".join(parts)


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------
# Each builder returns a dict:
#   name, heads, scale, causal, about   -> cases.json
#   arrays                              -> inputs saved in the .npz
#   float32, fortran, compressed        -> how the .npz is encoded
#   check (optional)                    -> extra assertions on the results

def case_01():
    rng = np.random.default_rng(101)
    n, d_model, h = 3, 4, 1
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=4, d_v=4))
    return dict(name="01_single_head_unscaled", heads=h, scale="none", causal=False,
                about="One head, d_model 4, three tokens, no scaling, no biases, no w_o.",
                arrays=arrays)


def case_02():
    rng = np.random.default_rng(102)
    n, d_model, h = 5, 8, 2
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=4, d_v=4,
                               bias_q=True, bias_k=True, bias_v=True))
    return dict(name="02_two_heads_biases", heads=h, scale="auto", causal=False,
                about="Two heads, d_model 8, five tokens, biases b_q b_k b_v, no w_o.",
                arrays=arrays, compressed=True, float32=("w_q", "b_v"))


def case_03():
    rng = np.random.default_rng(103)
    n, d_model, h = 7, 16, 4
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=4, d_v=4, d_out=16, bias_o=True))
    return dict(name="03_four_heads_output_projection", heads=h, scale="auto", causal=False,
                about="Four heads, d_model 16, seven tokens, with w_o (16 -> 16) and b_o.",
                arrays=arrays, fortran=("w_k", "w_o"))


def case_04():
    rng = np.random.default_rng(104)
    n, d_model, h, d_k, d_v, d_out = 5, 10, 3, 5, 2, 4
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=d_k, d_v=d_v, d_out=d_out))
    return dict(name="04_uneven_head_sizes", heads=h, scale=0.3, causal=False,
                about="Three heads with d_k 5 and d_v 2 on d_model 10 (d_k != d_model/h), "
                      "w_o mapping 6 -> 4, scale 0.3.",
                arrays=arrays, compressed=True, float32=("x", "w_v"), fortran=("w_v",))


def case_05():
    rng = np.random.default_rng(105)
    n, d_model, h = 6, 8, 2
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=4, d_v=4, d_out=8))

    def check(output, attention):
        # Causal: nothing above the diagonal, first token attends only to itself.
        upper = np.triu(np.ones((n, n), dtype=bool), k=1)
        assert np.all(attention[:, upper] == 0.0)
        assert np.all(attention[:, 0, 0] == 1.0)

    return dict(name="05_causal", heads=h, scale="auto", causal=True,
                about="Causal mask, two heads, d_model 8, six tokens, with w_o (8 -> 8).",
                arrays=arrays, fortran=("w_q",), check=check)


def case_06():
    rng = np.random.default_rng(106)
    n, d_model, h = 1, 6, 2
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=3, d_v=3, d_out=6,
                               bias_q=True, bias_k=True, bias_v=True, bias_o=True))

    def check(output, attention):
        # A single token can only attend to itself.
        assert np.all(attention == 1.0)

    return dict(name="06_single_token", heads=h, scale="auto", causal=False,
                about="A one-token sentence, two heads, d_model 6, all biases and w_o: "
                      "every attention weight is 1.",
                arrays=arrays, compressed=True, check=check)


def case_07():
    rng = np.random.default_rng(107)
    n, d_model, h = 512, 8, 1
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=8, d_v=8))
    return dict(name="07_long_sentence", heads=h, scale="auto", causal=False,
                about="A long sentence: 512 tokens, one head, d_model 8.",
                arrays=arrays)


def case_08():
    rng = np.random.default_rng(108)
    n, d_model, h = 4, 4, 1
    # x: magnitude ~1e150 with random signs; w_q, w_k O(1), so scores ~1e300,
    # just below float64's max (~1.8e308) and differing from each other by
    # ~1e300.  w_v ~1e-150 brings V (and the output) back to O(1).
    sign = rng.choice([-1.0, 1.0], size=(n, d_model))
    x = sign * rng.uniform(0.5, 1.5, size=(n, d_model)) * 1e150
    w_q = rng.uniform(-1.0, 1.0, size=(d_model, d_model))
    w_k = rng.uniform(-1.0, 1.0, size=(d_model, d_model))
    w_v = rng.uniform(-1.0, 1.0, size=(d_model, d_model)) * 1e-150
    arrays = {"x": x, "w_q": w_q, "w_k": w_k, "w_v": w_v}

    # The scores themselves must be finite (reference_attention asserts that
    # too) and within a safe margin of overflow, and each row's top score must
    # lead the runner-up by ~1e300 so the softmax is one-hot.
    scores = (x @ w_q) @ (x @ w_k).T
    assert np.all(np.isfinite(scores))
    assert np.max(np.abs(scores)) < 1e305, np.max(np.abs(scores))
    top2 = np.sort(scores, axis=1)[:, -2:]
    assert np.all(top2[:, 1] - top2[:, 0] > 1e298), top2

    def check(output, attention):
        # Softmax rows are one-hot: each row holds a 1 and otherwise (near) 0.
        assert np.all(attention.max(axis=-1) >= 1.0 - 1e-12)
        assert np.all(np.sort(attention, axis=-1)[..., :-1] <= 1e-12)
        # The output is O(1): the V row of the attended token.
        v = x @ w_v
        idx = attention[0].argmax(axis=1)
        assert np.allclose(output, v[idx], rtol=1e-12, atol=0)
        assert 1e-3 < np.max(np.abs(output)) < 1e3

    return dict(name="08_huge_magnitude", heads=h, scale="none", causal=False,
                about="x ~1e150 with O(1) w_q, w_k so scores reach ~1e300 and differ by "
                      "~1e300 (one-hot softmax, no overflow); w_v ~1e-150 keeps V O(1).",
                arrays=arrays, check=check)


def case_09():
    rng = np.random.default_rng(109)
    n, d_model, h = 5, 4, 2
    arrays = {"x": rng.normal(size=(n, d_model))}
    arrays.update(make_weights(rng, d_model, h, d_k=2, d_v=2))
    arrays["w_q"] = np.zeros((d_model, h * 2))   # Q = 0, so every score is 0

    def check(output, attention):
        # Equal scores: uniform attention 1/n and the output is the mean V row.
        assert np.allclose(attention, 1.0 / n, rtol=0, atol=1e-15)
        v = arrays["x"].astype(np.float64) @ arrays["w_v"].astype(np.float64)
        assert np.allclose(output, v.mean(axis=0, keepdims=True).repeat(n, axis=0),
                           rtol=0, atol=1e-14)

    return dict(name="09_all_equal_scores", heads=h, scale="auto", causal=False,
                about="w_q is all zeros, so every score is 0: attention is uniform 1/n and "
                      "the output is the mean of the V rows.",
                arrays=arrays, compressed=True, float32=("w_k",), check=check)


def case_10():
    rng = np.random.default_rng(110)
    h, d_model = 1, 3
    # The classic three-token, three-feature example from attention tutorials.
    x = np.array([[1.0, 0.0, 1.0],
                  [0.0, 1.0, 1.0],
                  [1.0, 1.0, 0.0]])
    arrays = {"x": x}
    arrays.update(make_weights(rng, d_model, h, d_k=3, d_v=3))
    return dict(name="10_tutorial_size", heads=h, scale="auto", causal=False,
                about="Tutorial-size input x = [[1,0,1],[0,1,1],[1,1,0]] with seeded random "
                      "weights, one head.",
                arrays=arrays, float32=("w_q",), fortran=("x", "w_q"))


def case_11():
    with open(WORKED_EXAMPLE, encoding="utf-8") as f:
        example = json.load(f)
    h = 1
    arrays = {k: np.array(example[k], dtype=np.float64) for k in ("x", "w_q", "w_k", "w_v")}
    tokens = example["tokens"]
    assert arrays["x"].shape == (len(tokens), 3) and arrays["w_q"].shape == (3, 3)

    # The tutorial printed *unscaled* results: reproduce them first (to the
    # printing's 8-decimal rounding) to be sure the inputs were read right.
    printed = example["printed"]
    out_none, att_none = reference_attention(arrays["x"], arrays["w_q"], arrays["w_k"],
                                             arrays["w_v"], h, "none", False)
    assert np.allclose(att_none[0], printed["attention_weights"], rtol=0, atol=1e-7)
    assert np.allclose(out_none, printed["output"], rtol=0, atol=1e-7)

    def check(output, attention):
        # Scaling by 1/sqrt(3) flattens the weights: each row is closer to
        # uniform than the tutorial's, and the result differs from its print.
        assert np.all(np.abs(attention[0] - 1 / 3) <= np.abs(att_none[0] - 1 / 3) + 1e-15)
        assert not np.allclose(output, printed["output"], rtol=0, atol=1e-4)

    return dict(name="11_worked_example_auto", heads=h, scale="auto", causal=False,
                about="The tutorial's worked example (worked-example.json: tokens "
                      + " ".join(tokens) + ", x = [[1,0,1],[0,1,1],[1,1,0]], its w_q, w_k, "
                      "w_v) scaled by 1/sqrt(d_k) = 1/sqrt(3); one head, no biases, no w_o. "
                      "The tutorial printed the unscaled (scale none) results, so these "
                      "expected values differ from its printout.",
                arrays=arrays, check=check)


CASES = [case_01, case_02, case_03, case_04, case_05,
         case_06, case_07, case_08, case_09, case_10,
         case_11]


# --------------------------------------------------------------------------
# Plain .npy references for the Java .npy writer and reader
# --------------------------------------------------------------------------

NPY_REFERENCES = {
    # file name (without .npy) -> the array exactly as handed to np.save
    "matrix": np.arange(6, dtype="<f8").reshape(2, 3) / 7.0,
    "vector": np.array([0.5, -0.0, 1e308, 5e-324, -2.25], dtype="<f8"),
    "fortran": np.asfortranarray(np.arange(12, dtype="<f8").reshape(3, 4)),
    "float32_be": np.array([[1.5, -2.0], [3.25, 1e-3]], dtype=">f4"),
}


def write_npy_references(npy_dir):
    """np.save each reference array, then check header and data bytes."""
    os.makedirs(npy_dir, exist_ok=True)
    written = []
    for name, a in NPY_REFERENCES.items():
        path = os.path.join(npy_dir, name + ".npy")
        np.save(path, a)
        with open(path, "rb") as f:
            raw = f.read()
        # Format 1.0: magic, version 1 0, uint16 LE header length, header
        # padded with spaces and ended by '\n' so the data starts at a
        # multiple of 64.
        assert raw[:8] == b"\x93NUMPY\x01\x00", name
        header_len = int.from_bytes(raw[8:10], "little")
        data_start = 10 + header_len
        assert data_start % 64 == 0 and raw[data_start - 1:data_start] == b"\n", name
        header = raw[10:data_start].decode("latin1")
        fortran = bool(a.flags.f_contiguous and not a.flags.c_contiguous)
        assert ("'fortran_order': True" if fortran else "'fortran_order': False") in header
        assert f"'descr': '{a.dtype.str}'" in header, (name, header)
        assert raw[data_start:] == a.tobytes(order="F" if fortran else "C"), name
        # Read back: same values; fortran.npy in C order is 0..11 row by row.
        b = np.load(path)
        assert b.dtype == a.dtype and b.shape == a.shape and np.array_equal(a, b), name
        if name == "fortran":
            assert np.array_equal(np.ascontiguousarray(b), np.arange(12.0).reshape(3, 4))
            # ... while the file holds it column by column: 0, 4, 8, 1, ...
            assert raw[data_start:data_start + 32] == np.array([0.0, 4.0, 8.0, 1.0], dtype="<f8").tobytes()
        written.append((name + ".npy", len(raw), header.rstrip()))
    return written


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def build_case(builder, out_dir):
    """Build one case, compute its expected values, write its .npz, return
    its cases.json entry."""
    case = builder()
    arrays = case["arrays"]
    encoding = apply_encoding(arrays, case.get("float32", ()), case.get("fortran", ()),
                              case.get("compressed", False))

    # Expected values from exactly what is stored (float32 widened to float64).
    output, attention = reference_attention(
        arrays["x"], arrays["w_q"], arrays["w_k"], arrays["w_v"],
        case["heads"], case["scale"], case["causal"],
        w_o=arrays.get("w_o"), b_q=arrays.get("b_q"), b_k=arrays.get("b_k"),
        b_v=arrays.get("b_v"), b_o=arrays.get("b_o"))
    n = arrays["x"].shape[0]
    assert attention.shape == (case["heads"], n, n)
    assert np.allclose(attention.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    if "check" in case:
        case["check"](output, attention)

    to_save = dict(arrays)
    to_save["expected_output"] = output.astype(np.float64)
    to_save["expected_attention"] = attention.astype(np.float64)
    path = os.path.join(out_dir, case["name"] + ".npz")
    (np.savez_compressed if case.get("compressed") else np.savez)(path, **to_save)

    # numpy's zip writer should give every entry the fixed time 1980-01-01,
    # which keeps the .npz bytes reproducible; say so if it ever does not.
    with zipfile.ZipFile(path) as zf:
        stamped = [i.filename for i in zf.infolist() if i.date_time != (1980, 1, 1, 0, 0, 0)]
    if stamped:
        print(f"warning: {path}: numpy stamped zip times on {stamped}; "
              "the .npz bytes will differ between runs (the arrays do not)")

    # Read the file back: same values, and the encodings really are as described.
    with np.load(path) as z:
        assert set(z.files) == set(to_save)
        for name, a in to_save.items():
            b = z[name]
            assert b.dtype == a.dtype and b.shape == a.shape, name
            assert np.array_equal(a, b), name
            if name in case.get("fortran", ()):
                assert b.flags.f_contiguous and not b.flags.c_contiguous, name

    return {"name": case["name"], "heads": case["heads"], "scale": case["scale"],
            "causal": case["causal"], "about": case["about"], "encoding": encoding}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    npy_dir = (sys.argv[2] if len(sys.argv) > 2
               else os.path.join(os.path.dirname(os.path.abspath(out_dir)), "npy-reference"))
    os.makedirs(out_dir, exist_ok=True)
    entries = [build_case(builder, out_dir) for builder in CASES]
    with open(os.path.join(out_dir, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")
    for e in entries:
        print(f"{e['name']}: heads={e['heads']} scale={e['scale']} "
              f"causal={e['causal']} [{e['encoding']}]")
    print(f"wrote {len(entries)} cases to {out_dir}")
    for name, size, header in write_npy_references(npy_dir):
        print(f"{name}: {size} bytes, header {header}")
    print(f"wrote {len(NPY_REFERENCES)} .npy references to {npy_dir}")


if __name__ == "__main__":
    main()
