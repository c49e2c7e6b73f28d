package dev.beamattention.weights;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionShapeException;
import dev.beamattention.core.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a {@code .safetensors} file names an attention block, and how its tensors become ours ({@code
 * Q = X W_q}, {@code W_q} d_model x (h * d_k), see {@link AttentionParameters}). Every name is
 * looked up after a prefix ({@code --weightsPrefix}), such as {@code encoder.layer.0.} or {@code
 * h.0.}.
 *
 * <ul>
 *   <li>{@code PLAIN}: {@code w_q}, {@code w_k}, ... {@code b_o}, as a {@code .npz} holds them.
 *   <li>{@code TORCH_MHA}: {@code torch.nn.MultiheadAttention}'s {@code in_proj_weight} (3E x E,
 *       rows q, k, v; transposed), {@code in_proj_bias}, {@code out_proj.weight|bias}.
 *   <li>{@code BERT}: {@code attention.self.query|key|value.weight|bias} and {@code
 *       attention.output.dense.weight|bias}, Linear layers (out x in, transposed).
 *   <li>{@code GPT2}: {@code attn.c_attn.weight} (a Conv1D, in x 3E, already our orientation; its
 *       columns split in three), {@code attn.c_attn.bias}, {@code attn.c_proj.weight|bias}.
 * </ul>
 */
public enum WeightsLayout {
  PLAIN,
  TORCH_MHA,
  BERT,
  GPT2;

  /** Metadata keys that may hold the number of heads, as models spell it. */
  private static final List<String> HEAD_KEYS =
      List.of("heads", "num_heads", "num_attention_heads", "n_head");

  /** The layout named {@code plain}, {@code torch-mha}, {@code bert} or {@code gpt2}. */
  public static Optional<WeightsLayout> named(String text) {
    for (WeightsLayout l : values()) {
      if (l.lowerName().equalsIgnoreCase(text.trim())) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** The name as the command line and run.json spell it. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Reads a {@code .safetensors} file's attention block in this layout.
   *
   * @param length the file's length in bytes, which every offset is checked against
   * @param heads the number of heads, or 0 to take it from the file's metadata
   * @throws IOException for a file that is not one, truncated, lacks a tensor, or has a bad dtype
   * @throws AttentionShapeException when the tensors do not fit each other or the heads
   */
  public AttentionParameters read(InputStream in, long length, String prefix, int heads)
      throws IOException {
    Safetensors.Header header = Safetensors.readHeader(in, length);
    int h = headsOf(header.metadata(), heads);
    Set<String> names = new LinkedHashSet<>();
    for (String suffix : required()) {
      String name = prefix + suffix;
      if (!header.tensors().containsKey(name)) {
        throw new IOException(missing(name, suffix, header));
      }
      names.add(name);
    }
    for (String suffix : optional(header, prefix)) {
      if (header.tensors().containsKey(prefix + suffix)) {
        names.add(prefix + suffix);
      }
    }
    for (String name : names) {
      // A fused q, k, v tensor holds three of our arrays.
      boolean fused = name.endsWith("in_proj_weight") || name.endsWith("attn.c_attn.weight");
      long most = (fused ? 3 : 1) * Limits.MAX_WEIGHT_VALUES;
      long values = 1;
      for (int d : header.tensors().get(name).shape()) {
        values *= d; // no overflow: the header's check bounded it by the file's bytes
      }
      if (values > most) {
        throw new IOException(
            "tensor '"
                + name
                + "' holds "
                + values
                + " values, more than the "
                + most
                + " allowed");
      }
    }
    Map<String, Npy.Array> raw = Safetensors.readTensors(in, header, names);
    Map<String, Object> ours = new LinkedHashMap<>();
    for (Map.Entry<String, Npy.Array> e : raw.entrySet()) {
      String suffix = e.getKey().substring(prefix.length());
      Object value = e.getValue().toVectorOrRows(e.getKey());
      convert(suffix, value, ours);
    }
    return AttentionParameters.of(h, ours);
  }

  private List<String> required() {
    switch (this) {
      case TORCH_MHA:
        return List.of("in_proj_weight");
      case BERT:
        return List.of(
            "attention.self.query.weight",
            "attention.self.key.weight",
            "attention.self.value.weight");
      case GPT2:
        return List.of("attn.c_attn.weight");
      default:
        return List.of();
    }
  }

  private List<String> optional(Safetensors.Header header, String prefix) {
    switch (this) {
      case TORCH_MHA:
        return List.of("in_proj_bias", "out_proj.weight", "out_proj.bias");
      case BERT:
        return List.of(
            "attention.self.query.bias",
            "attention.self.key.bias",
            "attention.self.value.bias",
            "attention.output.dense.weight",
            "attention.output.dense.bias");
      case GPT2:
        return List.of("attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias");
      default:
        // Every tensor under the prefix, so that a misspelt name is refused as in a .npz.
        List<String> all = new ArrayList<>();
        for (String name : header.tensors().keySet()) {
          if (name.startsWith(prefix)) {
            all.add(name.substring(prefix.length()));
          }
        }
        return all;
    }
  }

  // One tensor of this layout into our names and orientation.
  private void convert(String suffix, Object value, Map<String, Object> ours) {
    switch (suffix) {
      case "in_proj_weight":
        splitRows(suffix, matrix(suffix, value), ours);
        return;
      case "in_proj_bias":
      case "attn.c_attn.bias":
        double[] b = vector(suffix, value);
        int e = thirds(suffix, b.length);
        ours.put("b_q", java.util.Arrays.copyOfRange(b, 0, e));
        ours.put("b_k", java.util.Arrays.copyOfRange(b, e, 2 * e));
        ours.put("b_v", java.util.Arrays.copyOfRange(b, 2 * e, 3 * e));
        return;
      case "attn.c_attn.weight":
        // Conv1D is x @ W: already ours, with q, k, v side by side in its columns.
        splitRows(suffix, transpose(matrix(suffix, value)), ours);
        return;
      case "out_proj.weight":
      case "attention.output.dense.weight":
        ours.put("w_o", transpose(matrix(suffix, value)));
        return;
      case "attn.c_proj.weight":
        ours.put("w_o", matrix(suffix, value));
        return;
      case "out_proj.bias":
      case "attention.output.dense.bias":
      case "attn.c_proj.bias":
        ours.put("b_o", vector(suffix, value));
        return;
      default:
        break;
    }
    if (this == BERT) {
      // attention.self.query.weight -> w_q (transposed), attention.self.query.bias -> b_q
      String which = suffix.split("\\.")[2].substring(0, 1);
      if (suffix.endsWith(".weight")) {
        ours.put("w_" + which, transpose(matrix(suffix, value)));
      } else {
        ours.put("b_" + which, vector(suffix, value));
      }
      return;
    }
    ours.put(suffix, value); // PLAIN: our own names; AttentionParameters refuses unknown ones
  }

  // Rows [0, E), [E, 2E), [2E, 3E) of a 3E x E projection (out x in), each transposed.
  private static void splitRows(String name, double[][] w, Map<String, Object> ours) {
    int e = thirds(name, w.length);
    String[] names = {"w_q", "w_k", "w_v"};
    for (int part = 0; part < 3; part++) {
      double[][] rows = java.util.Arrays.copyOfRange(w, part * e, (part + 1) * e);
      ours.put(names[part], transpose(rows));
    }
  }

  private static int thirds(String name, int length) {
    if (length == 0 || length % 3 != 0) {
      throw new AttentionShapeException(
          name + " has " + length + " rows or values: q, k and v need three equal parts");
    }
    return length / 3;
  }

  private static double[][] matrix(String name, Object value) {
    if (!(value instanceof double[][])) {
      throw new AttentionShapeException(name + " must be a matrix (2 dimensions)");
    }
    return (double[][]) value;
  }

  private static double[] vector(String name, Object value) {
    if (!(value instanceof double[])) {
      throw new AttentionShapeException(name + " must be a vector (1 dimension)");
    }
    return (double[]) value;
  }

  private static double[][] transpose(double[][] m) {
    int cols = m.length == 0 ? 0 : m[0].length;
    double[][] t = new double[cols][m.length];
    for (int r = 0; r < m.length; r++) {
      for (int c = 0; c < cols; c++) {
        t[c][r] = m[r][c];
      }
    }
    return t;
  }

  private static int headsOf(Map<String, String> metadata, int given) throws IOException {
    for (String key : HEAD_KEYS) {
      String text = metadata.get(key);
      if (text == null) {
        continue;
      }
      int saved;
      try {
        saved = Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        saved = 0;
      }
      if (saved < 1) {
        throw new IOException("metadata " + key + " = '" + text + "' is not a number of heads");
      }
      if (given > 0 && given != saved) {
        throw new AttentionShapeException(
            "the file's metadata says "
                + saved
                + " heads ("
                + key
                + "), not "
                + given
                + ": give --heads="
                + saved);
      }
      return saved;
    }
    if (given < 1) {
      throw new IOException(
          "the file's metadata does not say how many heads (heads, num_heads,"
              + " num_attention_heads or n_head): give --heads");
    }
    return given;
  }

  private String missing(String name, String suffix, Safetensors.Header header) {
    List<String> near = new ArrayList<>();
    for (String n : header.tensors().keySet()) {
      if (n.endsWith(suffix) && near.size() < 3) {
        near.add(n);
      }
    }
    return "the file has no tensor '"
        + name
        + "' (--weightsLayout="
        + lowerName()
        + ")"
        + (near.isEmpty()
            ? ""
            : ": give --weightsPrefix to pick one of "
                + String.join(", ", near)
                + (near.size() == 3 ? ", ..." : ""));
  }
}
