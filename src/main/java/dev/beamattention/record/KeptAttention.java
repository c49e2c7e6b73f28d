package dev.beamattention.record;

import java.util.Locale;
import java.util.Optional;

/**
 * Which attention maps an {@link AttendedSentence} keeps for output: every head's, the heads' mean,
 * or none.
 */
public enum KeptAttention {
  HEADS,
  MEAN,
  NONE;

  /** The value named {@code heads}, {@code mean} or {@code none}, in any case. */
  public static Optional<KeptAttention> named(String text) {
    for (KeptAttention k : values()) {
      if (k.name().equalsIgnoreCase(text.trim())) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The name as the command line and run.json spell it. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
