package dev.beamattention.core;

/**
 * Thrown when matrices do not fit each other or the input; the message names the matrices and their
 * sizes. Always thrown before any arithmetic is done.
 */
public class AttentionShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public AttentionShapeException(String message) {
    super(message);
  }
}
