package dev.beamattention.pipeline;

import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A record that could not be used: why, in words, and the raw input it came from (cut at {@link
 * #MAX_INPUT_CHARS} characters), with its source file where known.
 */
@DefaultCoder(FailureCoder.class)
public final class Failure {
  /** How much of the raw input an error record keeps. */
  public static final int MAX_INPUT_CHARS = 10_000;

  private final String error;
  private final String input;
  private final String source;

  public Failure(String error, String input, String source) {
    this.error = Objects.requireNonNull(error, "error");
    String raw = Objects.requireNonNull(input, "input");
    int cut = MAX_INPUT_CHARS;
    if (raw.length() > cut && Character.isHighSurrogate(raw.charAt(cut - 1))) {
      cut--; // never half a character
    }
    this.input = raw.length() > cut ? raw.substring(0, cut) : raw;
    this.source = source;
  }

  public Failure(String error, String input) {
    this(error, input, null);
  }

  public String error() {
    return error;
  }

  public String input() {
    return input;
  }

  /** The file the input came from, or null when unknown. */
  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Failure)) {
      return false;
    }
    Failure f = (Failure) o;
    return error.equals(f.error) && input.equals(f.input) && Objects.equals(source, f.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(error, input, source);
  }

  @Override
  public String toString() {
    return "Failure{" + error + "}";
  }
}
