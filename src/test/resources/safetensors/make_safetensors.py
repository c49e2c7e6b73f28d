#!/usr/bin/env python3
"""Writes the .safetensors test files and what PyTorch computes with them.

For each layout the job reads (--weightsLayout=torch-mha|bert|gpt2), a small float64 PyTorch
model is saved with the safetensors library, its tensors named as the real model names them, under
a prefix as in a whole model's file. The expected outputs are PyTorch's own attention,
torch.nn.functional.multi_head_attention_forward (what torch.nn.MultiheadAttention runs), on the
sentences of sentences.jsonl:

- torch-mha.safetensors: an nn.MultiheadAttention (2 heads, E = 8) under "encoder.layers.0.self_attn.",
  float64, random biases; metadata num_heads = 2, so the job needs no --heads.
- bert.safetensors: BERT's attention.self.query/key/value and attention.output.dense Linear
  layers (3 heads, E = 6) under "bert.encoder.layer.1.", saved as float32 (the float64 reference
  uses the same float32-rounded values); no metadata, so --heads=3 is needed.
- gpt2.safetensors: GPT-2's attn.c_attn and attn.c_proj Conv1D layers (2 heads, E = 8) under
  "transformer.h.0.": c_attn saved as bfloat16, c_proj as float16; causal, as GPT-2 is; metadata
  n_head = 2.

Run from the repository root with a Python that has torch and safetensors:
    python3 src/test/resources/safetensors/make_safetensors.py
"""
import json
import os

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(16)
torch.set_default_dtype(torch.float64)


def sentences(width, count=5):
    out = []
    for i in range(count):
        n = 1 + (i * 2) % 5
        x = torch.randn(n, width)
        out.append({"id": f"s{i}", "tokens": [f"t{j}" for j in range(n)], "embeddings": x.tolist()})
    return out


def reference(x, heads, q_w, k_w, v_w, bias, o_w, o_b, causal):
    """PyTorch's multi-head attention on one sentence x (n x E), weights as Linear (out x in)."""
    with torch.no_grad():
        return _reference(x, heads, q_w, k_w, v_w, bias, o_w, o_b, causal)


def _reference(x, heads, q_w, k_w, v_w, bias, o_w, o_b, causal):
    n, e = x.shape
    mask = torch.triu(torch.full((n, n), float("-inf")), diagonal=1) if causal else None
    x3 = x.unsqueeze(1)  # (n, batch 1, E)
    out, weights = torch.nn.functional.multi_head_attention_forward(
        x3, x3, x3, e, heads, None, bias, None, None, False, 0.0, o_w, o_b,
        training=False, need_weights=True, attn_mask=mask, use_separate_proj_weight=True,
        q_proj_weight=q_w, k_proj_weight=k_w, v_proj_weight=v_w, average_attn_weights=False)
    return out.squeeze(1).tolist(), weights.squeeze(0).tolist()


def write(name, tensors, metadata, inputs, attend):
    """Saves the tensors and, per sentence, attend(x) -> (output, per-head weights)."""
    save_file(tensors, os.path.join(HERE, name + ".safetensors"), metadata=metadata)
    with open(os.path.join(HERE, name + "-expected.jsonl"), "w") as f:
        for s in inputs:
            out, weights = attend(torch.tensor(s["embeddings"]))
            f.write(json.dumps({"id": s["id"], "output": out, "weights": weights}) + "\n")


def torch_mha():
    e, heads = 8, 2
    mha = torch.nn.MultiheadAttention(e, heads)
    with torch.no_grad():  # torch starts biases at zero: make them count
        mha.in_proj_bias.copy_(torch.randn(3 * e))
        mha.out_proj.bias.copy_(torch.randn(e))
    block = torch.nn.Module()
    block.self_attn = mha
    prefix = "encoder.layers.0."
    tensors = {prefix + k: v.detach().contiguous() for k, v in block.state_dict().items()}
    inputs = sentences(e)

    def attend(x):  # the module itself
        with torch.no_grad():
            out, weights = mha(x.unsqueeze(1), x.unsqueeze(1), x.unsqueeze(1), need_weights=True,
                               average_attn_weights=False)
        return out.squeeze(1).tolist(), weights.squeeze(0).tolist()

    write("torch-mha", tensors, {"num_heads": str(heads), "format": "pt"}, inputs, attend)
    return inputs


def bert(inputs_width=6):
    e, heads = inputs_width, 3
    layer = torch.nn.Module()
    layer.attention = torch.nn.Module()
    layer.attention.self = torch.nn.Module()
    layer.attention.output = torch.nn.Module()
    for part in ("query", "key", "value"):
        setattr(layer.attention.self, part, torch.nn.Linear(e, e))
    layer.attention.output.dense = torch.nn.Linear(e, e)
    prefix = "bert.encoder.layer.1."
    # Saved as float32; the reference uses those very values, widened back to float64.
    tensors = {prefix + k: v.detach().float().contiguous() for k, v in layer.state_dict().items()}
    tensors["bert.embeddings.position_ids"] = torch.arange(16, dtype=torch.int64)  # as BERT has
    p = {k[len(prefix):]: v.double() for k, v in tensors.items() if k.startswith(prefix)}
    s = "attention.self."
    inputs = sentences(e)
    bias = torch.cat([p[s + "query.bias"], p[s + "key.bias"], p[s + "value.bias"]])
    write("bert", tensors, {"format": "pt"}, inputs,
          lambda x: reference(x, heads, p[s + "query.weight"], p[s + "key.weight"],
                              p[s + "value.weight"], bias, p["attention.output.dense.weight"],
                              p["attention.output.dense.bias"], False))
    return inputs


def gpt2():
    e, heads = 8, 2
    # GPT-2's Conv1D: weight (in x out), y = x @ weight + bias.
    attn = torch.nn.Module()
    attn.c_attn = torch.nn.Module()
    attn.c_attn.weight = torch.nn.Parameter(0.3 * torch.randn(e, 3 * e))
    attn.c_attn.bias = torch.nn.Parameter(0.3 * torch.randn(3 * e))
    attn.c_proj = torch.nn.Module()
    attn.c_proj.weight = torch.nn.Parameter(0.3 * torch.randn(e, e))
    attn.c_proj.bias = torch.nn.Parameter(0.3 * torch.randn(e))
    block = torch.nn.Module()
    block.attn = attn
    prefix = "transformer.h.0."
    tensors = {}
    for k, v in block.state_dict().items():
        dtype = torch.bfloat16 if k.startswith("attn.c_attn") else torch.float16
        tensors[prefix + k] = v.detach().to(dtype).contiguous()
    p = {k[len(prefix):]: v.double() for k, v in tensors.items()}
    w = p["attn.c_attn.weight"].T  # as a Linear: (3E x E)
    inputs = sentences(e)
    write("gpt2", tensors, {"n_head": str(heads)}, inputs,
          lambda x: reference(x, heads, w[:e], w[e:2 * e], w[2 * e:], p["attn.c_attn.bias"],
                              p["attn.c_proj.weight"].T, p["attn.c_proj.bias"], True))
    return inputs


def save_inputs(name, inputs):
    with open(os.path.join(HERE, name + "-sentences.jsonl"), "w") as f:
        for s in inputs:
            f.write(json.dumps(s) + "\n")


save_inputs("torch-mha", torch_mha())
save_inputs("bert", bert())
save_inputs("gpt2", gpt2())
