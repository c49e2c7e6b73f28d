package dev.beamattention.core;

/**
 * The sizes the job accepts from any file or option, checked before anything of that size is
 * allocated, so a hostile or broken header ends in one clear message rather than an
 * OutOfMemoryError. README's "Hostile input" lists them.
 */
public final class Limits {
  private Limits() {}

  /**
   * The widest d_model, whether taken from the weights, a word-vector table, {@code --dModel} or
   * the first sentence of the input: 16,384, twice the widest common model.
   */
  public static final int MAX_D_MODEL = 1 << 14;

  /**
   * The most values one weights array may hold: 2^26, 512 MiB of doubles, which a d_model of 8,192
   * with h * d_k = 8,192 just fills.
   */
  public static final long MAX_WEIGHT_VALUES = 1L << 26;

  /**
   * The highest {@code --maxAttentionCells}: 2^28 weights, 2 GiB of doubles for one sentence's
   * maps. A sentence past it could not be held by the heap the job would need anyway.
   */
  public static final long MAX_ATTENTION_CELLS = 1L << 28;

  /**
   * The longest line of a word-vector table, in bytes: 4 MiB, room for 16,384 values of 25
   * characters and a long token.
   */
  public static final int MAX_TABLE_LINE_BYTES = 4 << 20;

  /**
   * The most bytes a deflated zip member can expand to per byte of the file (deflate's own bound is
   * 1,032). A member that claims more than the file's bytes times this cannot be real.
   */
  public static final long MAX_DEFLATE_RATIO = 1032;
}
