package dev.beamattention.record;

/**
 * Why a record could not be used, as a class of reasons: what run.json counts errors by, and what
 * the job reports on exit. The reason itself, in words, stays in the {@link ErrorRecord}.
 */
public enum ErrorKind {
  /** Not valid UTF-8 or JSON, or not one JSON object. */
  MALFORMED("malformed"),
  /** A field missing, empty or of the wrong type, or rows that do not match the tokens. */
  INVALID("invalid"),
  /** NaN or Infinity among the embeddings. */
  NON_FINITE("nonFinite"),
  /** Embeddings whose width is not the d_model the weights need. */
  WIDTH("widthMismatch"),
  /** More tokens or bytes than the job's limits allow. */
  TOO_LARGE("tooLarge"),
  /** Tokens a word-vector table lacks. */
  UNKNOWN_TOKENS("unknownTokens"),
  /** Attention arithmetic that overflowed. */
  ATTENTION("attentionOverflow"),
  /** A word-vector table's line that cannot be used. */
  TABLE_LINE("tableLine"),
  /**
   * A file that broke part way (a truncated or corrupt compressed file): the lines before the break
   * were read, and the line it broke in is this record.
   */
  BROKEN_FILE("brokenFile");

  private final String key;

  ErrorKind(String key) {
    this.key = key;
  }

  /** The name run.json and the exit report use, and the counter's. */
  public String key() {
    return key;
  }
}
