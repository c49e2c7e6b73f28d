package dev.beamattention.record;

/** A record that cannot be used; the message says what and where, for the error record. */
public class BadRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadRecordException(String message) {
    super(message);
  }
}
