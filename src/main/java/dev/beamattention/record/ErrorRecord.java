package dev.beamattention.record;

import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A record that could not be used: the reason in words, the raw input it came from (cut at {@link
 * #MAX_INPUT_CHARS} characters) and, where known, the file it came from. Every stage sends its
 * error records on {@link #TAG}, so the job can flatten them into one output.
 */
@DefaultCoder(ErrorRecordCoder.class)
public final class ErrorRecord {
  /** The one dead-letter output of every stage. */
  public static final TupleTag<ErrorRecord> TAG = new TupleTag<ErrorRecord>("errors") {};

  /** How much of the raw input an error record keeps. */
  public static final int MAX_INPUT_CHARS = 10_000;

  private final ErrorKind kind;
  private final String reason;
  private final String input;
  private final String source; // null when unknown; see source()

  private ErrorRecord(ErrorKind kind, String reason, String input, String source) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.reason = Objects.requireNonNull(reason, "reason");
    String raw = Objects.requireNonNull(input, "input");
    int cut = MAX_INPUT_CHARS;
    if (raw.length() > cut && Character.isHighSurrogate(raw.charAt(cut - 1))) {
      cut--; // never half a character
    }
    this.input = raw.length() > cut ? raw.substring(0, cut) : raw;
    this.source = source;
  }

  /** An error record for input from {@code source}, a file's name, when known. */
  public static ErrorRecord of(
      ErrorKind kind, String reason, String input, Optional<String> source) {
    return new ErrorRecord(kind, reason, input, source.orElse(null));
  }

  /** An error record for input read from the file {@code source}. */
  public static ErrorRecord of(ErrorKind kind, String reason, String input, String source) {
    return new ErrorRecord(kind, reason, input, Objects.requireNonNull(source, "source"));
  }

  /** An error record for input whose file is not known. */
  public static ErrorRecord withoutSource(ErrorKind kind, String reason, String input) {
    return new ErrorRecord(kind, reason, input, null);
  }

  /** An error record for a record refused with {@code e}, from {@code source} when known. */
  public static ErrorRecord of(BadRecordException e, String input, Optional<String> source) {
    return of(e.kind(), e.getMessage(), input, source);
  }

  /** The class of reason, for counting. */
  public ErrorKind kind() {
    return kind;
  }

  /** Why the input could not be used. */
  public String reason() {
    return reason;
  }

  /** The raw input, at most {@link #MAX_INPUT_CHARS} characters of it. */
  public String input() {
    return input;
  }

  /** The file the input came from, when known. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ErrorRecord)) {
      return false;
    }
    ErrorRecord f = (ErrorRecord) o;
    return kind == f.kind
        && reason.equals(f.reason)
        && input.equals(f.input)
        && Objects.equals(source, f.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, reason, input, source);
  }

  @Override
  public String toString() {
    return "ErrorRecord{" + kind.key() + ": " + reason + "}";
  }
}
