package dev.beamattention.embed;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Word vectors held compactly: every value in one {@code double[]}, and an index from token to row.
 * Instances are built once and then only read.
 */
final class EmbeddingTable {
  private final int dim;
  private final Map<String, Integer> rows;
  private final String[] tokens;
  private final double[] values;

  private EmbeddingTable(int dim, String[] tokens, double[] values) {
    this.dim = dim;
    this.tokens = tokens;
    this.values = values;
    this.rows = new HashMap<>(tokens.length * 2);
    for (int i = 0; i < tokens.length; i++) {
      rows.merge(
          tokens[i],
          i,
          (kept, next) -> {
            double[] a = vectorAt(kept);
            return preferred(a, vectorAt(next)) == a ? kept : next;
          });
    }
  }

  private double[] vectorAt(int row) {
    return Arrays.copyOfRange(values, row * dim, (row + 1) * dim);
  }

  /**
   * Which of two vectors for one token wins when the token appears in several table files (within a
   * file the first row wins already): the one that sorts first, so every runner and both joins pick
   * the same whatever order rows arrive in.
   */
  public static double[] preferred(double[] a, double[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Arrays.compare(a, b) <= 0 ? a : b;
  }

  /** A table of these rows; {@code values} holds row i at {@code [i*dim, (i+1)*dim)}. */
  public static EmbeddingTable of(int dim, String[] tokens, double[] values) {
    if (values.length != (long) tokens.length * dim) {
      throw new IllegalArgumentException(
          tokens.length
              + " tokens of "
              + dim
              + " values need "
              + tokens.length * dim
              + " values, got "
              + values.length);
    }
    return new EmbeddingTable(dim, tokens, values);
  }

  public int dim() {
    return dim;
  }

  public int size() {
    return tokens.length;
  }

  /** The token's vector (a copy), or null when the table lacks it. */
  public double[] vector(String token) {
    Integer row = rows.get(token);
    return row == null ? null : Arrays.copyOfRange(values, row * dim, (row + 1) * dim);
  }

  String[] tokens() {
    return tokens;
  }

  double[] values() {
    return values;
  }

  /** Collects rows into a table. */
  public static final class Builder {
    private final int dim;
    private String[] tokens = new String[16];
    private double[] values;
    private int size;

    public Builder(int dim) {
      this.dim = dim;
      this.values = new double[16 * dim];
    }

    public Builder add(String token, double[] vector) {
      if (vector.length != dim) {
        throw new IllegalArgumentException(
            "'" + token + "' has " + vector.length + " values, expected " + dim);
      }
      if (size == tokens.length) {
        tokens = Arrays.copyOf(tokens, size * 2);
        values = Arrays.copyOf(values, size * 2 * dim);
      }
      tokens[size] = token;
      System.arraycopy(vector, 0, values, size * dim, dim);
      size++;
      return this;
    }

    /** Adds every row of another builder's table, after this one's. */
    public Builder addAll(EmbeddingTable other) {
      for (int i = 0; i < other.tokens.length; i++) {
        add(other.tokens[i], Arrays.copyOfRange(other.values, i * dim, (i + 1) * dim));
      }
      return this;
    }

    public EmbeddingTable build() {
      return new EmbeddingTable(
          dim, Arrays.copyOf(tokens, size), Arrays.copyOf(values, size * dim));
    }
  }
}
