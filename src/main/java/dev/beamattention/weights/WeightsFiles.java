package dev.beamattention.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionShapeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads weights from {@code .npz} or {@code .json} files and writes them as {@code .npz}.
 *
 * <p>A {@code .json} weights file is one object whose members are named as in {@link
 * AttentionParameters#NAMES}: matrices as arrays of rows, biases as arrays of numbers.
 */
public final class WeightsFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The array that records the number of heads. */
  static final String HEADS = "heads";

  private WeightsFiles() {}

  /**
   * Reads and checks weights.
   *
   * @param fileName tells the format by its ending, {@code .npz} or {@code .json}
   * @throws IOException when the file cannot be read or parsed
   * @throws AttentionShapeException when the arrays do not fit each other or {@code heads}
   */
  public static AttentionParameters read(InputStream in, String fileName, int heads)
      throws IOException {
    return read(in, fileName, heads, Long.MAX_VALUE);
  }

  /**
   * As {@link #read(InputStream, String, int)}, for a file of {@code fileBytes} bytes, which bounds
   * what its arrays may claim (see {@link Npy#readNpz(InputStream, long)}).
   */
  public static AttentionParameters read(InputStream in, String fileName, int heads, long fileBytes)
      throws IOException {
    String lower = fileName.toLowerCase(java.util.Locale.ROOT);
    Map<String, Object> arrays = new LinkedHashMap<>();
    if (lower.endsWith(".npz")) {
      for (Map.Entry<String, Npy.Array> e : Npy.readNpz(in, fileBytes).entrySet()) {
        arrays.put(e.getKey(), e.getValue().toVectorOrRows(e.getKey()));
      }
    } else if (lower.endsWith(".json")) {
      JsonNode root = JSON.readTree(in);
      if (root == null || !root.isObject()) {
        throw new IOException("a .json weights file must hold one object of named arrays");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        arrays.put(e.getKey(), fromJson(e.getKey(), e.getValue()));
      }
    } else {
      throw new IOException("weights must be a .npz or .json file, got " + fileName);
    }
    checkHeads(arrays.remove(HEADS), heads);
    return AttentionParameters.of(heads, arrays);
  }

  // weights.npz as the job writes it records the heads its weights were used with.
  private static void checkHeads(Object saved, int heads) {
    if (saved == null) {
      return;
    }
    double[] h = saved instanceof double[] ? (double[]) saved : new double[0];
    if (h.length != 1 || h[0] != Math.rint(h[0]) || h[0] < 1) {
      throw new AttentionShapeException("'heads' must hold one whole number of heads");
    }
    if ((int) h[0] != heads) {
      throw new AttentionShapeException(
          "the weights were saved for "
              + (int) h[0]
              + " heads, not "
              + heads
              + ": give --heads="
              + (int) h[0]);
    }
  }

  /**
   * Writes every array of the weights into one uncompressed {@code .npz} archive, and the number of
   * heads as the one-value array {@code heads}, which {@link #read} checks.
   */
  public static void writeNpz(AttentionParameters weights, OutputStream out) throws IOException {
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : weights.asMap().entrySet()) {
      Object v = e.getValue();
      if (v instanceof double[]) {
        double[] vector = (double[]) v;
        arrays.put(e.getKey(), new Npy.Array(new int[] {vector.length}, vector));
      } else {
        double[][] rows = (double[][]) v;
        int cols = rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
          System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        arrays.put(e.getKey(), new Npy.Array(new int[] {rows.length, cols}, flat));
      }
    }
    arrays.put(HEADS, new Npy.Array(new int[] {1}, new double[] {weights.heads()}));
    Npy.writeNpz(out, arrays);
  }

  private static Object fromJson(String name, JsonNode node) throws IOException {
    if (!node.isArray() || node.size() == 0) {
      throw new IOException(name + " must be a non-empty array");
    }
    if (!node.get(0).isArray()) {
      return numbers(name, node);
    }
    double[][] rows = new double[node.size()][];
    for (int r = 0; r < rows.length; r++) {
      JsonNode row = node.get(r);
      if (!row.isArray()) {
        throw new IOException(name + " row " + r + " is not an array");
      }
      rows[r] = numbers(name + " row " + r, row);
    }
    return rows;
  }

  private static double[] numbers(String where, JsonNode node) throws IOException {
    double[] values = new double[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isNumber()) {
        throw new IOException(where + " value " + i + " is not a number: " + v);
      }
      values[i] = v.doubleValue();
    }
    return values;
  }
}
