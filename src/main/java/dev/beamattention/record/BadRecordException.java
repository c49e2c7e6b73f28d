package dev.beamattention.record;

/** A record that cannot be used; the message says what and where, for the error record. */
public class BadRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  public BadRecordException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** The class of reason, for counting. */
  public ErrorKind kind() {
    return kind;
  }
}
