package dev.beamattention.core;

import java.io.Serializable;
import java.util.Objects;

/**
 * The factor the scores {@code Q K^T} are multiplied by before the softmax.
 *
 * <p>{@code auto} is {@code 1 / sqrt(d_k)} (the transformer's choice), {@code none} is 1 (the
 * tutorial's printed numbers), and any other value is a positive finite number.
 */
public final class Scale implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Scale AUTO = new Scale(Double.NaN, "auto");
  private static final Scale NONE = new Scale(1.0, "none");

  // NaN marks auto: the factor then depends on d_k, known only with the weights.
  private final double factor;
  private final String text;

  private Scale(double factor, String text) {
    this.factor = factor;
    this.text = text;
  }

  public static Scale auto() {
    return AUTO;
  }

  public static Scale none() {
    return NONE;
  }

  /**
   * A fixed factor.
   *
   * @throws IllegalArgumentException unless {@code factor} is positive and finite
   */
  public static Scale of(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException(
          "scale must be auto, none or a positive finite number, got " + factor);
    }
    return new Scale(factor, Double.toString(factor));
  }

  /**
   * Reads {@code auto}, {@code none} or a positive number.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Scale parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equalsIgnoreCase("auto")) {
      return AUTO;
    }
    if (t.equalsIgnoreCase("none")) {
      return NONE;
    }
    double value;
    try {
      value = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "scale must be auto, none or a positive number, got '" + text + "'");
    }
    return of(value);
  }

  /** The factor for heads of width {@code dK}. */
  public double factorFor(int dK) {
    return Double.isNaN(factor) ? 1.0 / Math.sqrt(dK) : factor;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scale && ((Scale) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
