package dev.beamattention.pipeline;

import java.util.Locale;

/** Which attention weights the job keeps and writes: every head, their mean, or none. */
public enum AttentionMode {
  HEADS,
  MEAN,
  NONE;

  /**
   * Reads {@code heads}, {@code mean} or {@code none}, in any case.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static AttentionMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--attention must be heads, mean or none, got '" + text + "'");
    }
  }
}
