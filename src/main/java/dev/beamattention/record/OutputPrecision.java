package dev.beamattention.record;

import java.util.Locale;
import java.util.Optional;

/**
 * How output numbers are written: every double exactly ({@code float64}, the default), or each
 * value rounded to the nearest float and written as the shortest decimal that parses back to that
 * float ({@code float32}: about half the bytes, 6 to 9 significant digits).
 */
public enum OutputPrecision {
  FLOAT64,
  FLOAT32;

  /** The value named {@code float64} or {@code float32}, in any case. */
  public static Optional<OutputPrecision> named(String text) {
    for (OutputPrecision p : values()) {
      if (p.name().equalsIgnoreCase(text.trim())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The name as the command line and run.json spell it. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
