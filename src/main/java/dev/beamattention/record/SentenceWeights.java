package dev.beamattention.record;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * Every head's attention weights of one sentence, h x n x n, with its tokens: what the per-head
 * statistics are computed from, whatever attention the outputs keep. Row r of head i holds the
 * weights token r gives every token.
 */
@DefaultCoder(SentenceWeightsCoder.class)
public final class SentenceWeights {
  private final String id;
  private final String[] tokens;
  private final double[][][] heads;

  public SentenceWeights(String id, String[] tokens, double[][][] heads) {
    this.id = Objects.requireNonNull(id, "id");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.heads = Objects.requireNonNull(heads, "heads");
  }

  public String id() {
    return id;
  }

  public String[] tokens() {
    return tokens;
  }

  /** The weights themselves, h x n x n, not a copy: for callers that only read them. */
  public double[][][] heads() {
    return heads;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SentenceWeights)) {
      return false;
    }
    SentenceWeights s = (SentenceWeights) o;
    return id.equals(s.id) && Arrays.equals(tokens, s.tokens) && Arrays.deepEquals(heads, s.heads);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(tokens));
  }

  @Override
  public String toString() {
    return "SentenceWeights{" + id + ", " + heads.length + " heads}";
  }
}
