#!/usr/bin/python3
"""Cross-check the golden data against torch.nn.MultiheadAttention.

For every case in src/test/resources/golden/cases.json whose shape
torch.nn.MultiheadAttention can express, build an nn.MultiheadAttention
(float64, batch_first=True) holding the case's weights, run it on x with
need_weights=True, average_attn_weights=False, and assert that its output
and per-head attention agree with the golden expected values within 1e-10
(absolute).  Prints one line per case (checked / skipped and why); exits
non-zero if any checked case disagrees.

What torch can express:
  * d_k == d_v == d_model / h  (torch splits embed_dim evenly over heads);
  * w_o, if present, square d_model x d_model (torch's out_proj is
    embed_dim -> embed_dim); without w_o, out_proj is set to the identity
    with zero bias, which reproduces concat(H_1..H_h) exactly;
  * biases: torch has one in_proj_bias (q, k, v together) and one out_proj
    bias.  With no bias at all we use bias=False; otherwise bias=True and
    absent biases are zero (adding 0.0 changes nothing);
  * scale: torch always scales by 1/sqrt(d_k), so "auto" only.
Causal cases use a boolean attn_mask that is True above the diagonal.

Orientation: the contract's Q = X @ W_q, so torch's in_proj_weight is
concat(w_q.T, w_k.T, w_v.T) along dim 0 and out_proj.weight is w_o.T.

Run with Debian's python (apt-get install python3-torch python3-numpy):
    /usr/bin/python3 src/test/python/check_torch.py [GOLDEN_DIR]
"""

import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_GOLDEN = os.path.normpath(os.path.join(HERE, "..", "resources", "golden"))
TOLERANCE = 1e-10


def load_case(golden_dir, name):
    """All arrays of one case, widened to float64 (exact for float32)."""
    with np.load(os.path.join(golden_dir, name + ".npz")) as z:
        return {k: np.ascontiguousarray(z[k], dtype=np.float64) for k in z.files}


def why_not_expressible(case, a):
    """None if torch can express the case, else the reason it cannot."""
    h = case["heads"]
    n, d_model = a["x"].shape
    if d_model % h != 0:
        return f"d_model {d_model} not divisible by h {h}"
    e = d_model // h
    d_k = a["w_q"].shape[1] // h
    d_v = a["w_v"].shape[1] // h
    if d_k != e or d_v != e:
        return f"d_k {d_k} / d_v {d_v} differ from d_model/h {e}"
    if "w_o" in a and a["w_o"].shape != (d_model, d_model):
        return f"w_o is {a['w_o'].shape[0]}x{a['w_o'].shape[1]}, torch needs {d_model}x{d_model}"
    if case["scale"] != "auto":
        return f"scale {case['scale']!r}, torch always uses 1/sqrt(d_k)"
    return None


def run_torch(case, a):
    """Run nn.MultiheadAttention with the case's weights; return numpy
    (output n x d_model, attention h x n x n)."""
    h = case["heads"]
    n, d_model = a["x"].shape
    has_bias = any(k in a for k in ("b_q", "b_k", "b_v", "b_o"))
    mha = torch.nn.MultiheadAttention(d_model, h, dropout=0.0, bias=has_bias,
                                      batch_first=True, dtype=torch.float64)
    mha.eval()
    t = lambda arr: torch.from_numpy(np.ascontiguousarray(arr))
    zeros = lambda size: np.zeros(size, dtype=np.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(t(np.concatenate([a["w_q"].T, a["w_k"].T, a["w_v"].T], axis=0)))
        mha.out_proj.weight.copy_(t(a["w_o"].T if "w_o" in a else np.eye(d_model)))
        if has_bias:
            mha.in_proj_bias.copy_(t(np.concatenate([a.get("b_q", zeros(d_model)),
                                                     a.get("b_k", zeros(d_model)),
                                                     a.get("b_v", zeros(d_model))])))
            mha.out_proj.bias.copy_(t(a.get("b_o", zeros(d_model))))

    x = t(a["x"]).unsqueeze(0)                                       # 1 x n x d_model
    mask = None
    if case["causal"]:
        mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    # Forward with autograd enabled (the parameters require grad): this keeps
    # torch on its documented Python path (F.multi_head_attention_forward)
    # instead of the native "fast path", which in torch 1.13 crashes on
    # bias=False and is not the formula we want to compare against.
    with torch.enable_grad():
        out, weights = mha(x, x, x, need_weights=True, attn_mask=mask,
                           average_attn_weights=False)
    return out[0].detach().numpy(), weights[0].detach().numpy()


def main():
    golden_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_GOLDEN
    with open(os.path.join(golden_dir, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    failures = 0
    for case in cases:
        name = case["name"]
        a = load_case(golden_dir, name)
        reason = why_not_expressible(case, a)
        if reason:
            print(f"SKIPPED {name}: {reason}")
            continue
        out, att = run_torch(case, a)
        d_out = float(np.max(np.abs(out - a["expected_output"])))
        d_att = float(np.max(np.abs(att - a["expected_attention"])))
        ok = (out.shape == a["expected_output"].shape
              and att.shape == a["expected_attention"].shape
              and d_out <= TOLERANCE and d_att <= TOLERANCE)
        print(f"{'CHECKED' if ok else 'MISMATCH'} {name}: "
              f"max |output diff| {d_out:.3g}, max |attention diff| {d_att:.3g}")
        failures += not ok
    if failures:
        print(f"{failures} case(s) disagree with torch")
        sys.exit(1)
    print("all checked cases agree with torch within", TOLERANCE)


if __name__ == "__main__":
    main()
