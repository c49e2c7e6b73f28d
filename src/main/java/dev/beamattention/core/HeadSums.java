package dev.beamattention.core;

import java.util.OptionalDouble;

/**
 * One attention head's statistics over many sentences, as exact sums that merge in any order.
 *
 * <p>For a sentence of n tokens the head's weights A are n x n; row r holds the weights a_rc that
 * token r gives every token c. Without a causal mask every cell is visible; with it, the cells c
 * &lt;= r. Over every row of every sentence added, the sums are
 *
 * <pre>
 * entropy  = sum over rows of  sum_c -a_rc ln a_rc        (visible cells; 0 ln 0 = 0)
 * distance = sum over rows of  sum_c a_rc |r - c|         (visible cells)
 * self     = sum over rows of  a_rr
 * previous = sum over rows r &gt;= 1 of  a_r,r-1            (previousRows such rows)
 * next     = sum over rows r &lt;= n - 2 of  a_r,r+1        (nextRows such rows; none when causal)
 * first    = sum over rows of  a_r0
 * </pre>
 *
 * and {@link #summary()} divides each by its number of rows: the means over rows, every row of
 * every sentence counting once. Each cell's term is computed by the same code on every machine
 * ({@code StrictMath.log}, one multiplication), and each sum is an {@link ExactSum}, so the result
 * has the same bits whatever order sentences are added or accumulators merged in. Instances are
 * mutable and not thread-safe.
 */
public final class HeadSums {
  /** The sums in the order {@link #sums()} lists them. */
  public static final int ENTROPY = 0, DISTANCE = 1, SELF = 2, PREVIOUS = 3, NEXT = 4, FIRST = 5;

  private static final int SUMS = 6;

  private long sentences;
  private long rows;
  private long previousRows;
  private long nextRows;
  private final ExactSum[] sums;

  /** No sentence yet. */
  public HeadSums() {
    this(0, 0, 0, 0, fresh());
  }

  /**
   * Sums from their parts, as the getters give them.
   *
   * @param sums six sums in the order of {@link #ENTROPY} .. {@link #FIRST}; kept, not copied
   */
  public HeadSums(long sentences, long rows, long previousRows, long nextRows, ExactSum[] sums) {
    if (sums.length != SUMS) {
      throw new IllegalArgumentException("need " + SUMS + " sums, got " + sums.length);
    }
    this.sentences = sentences;
    this.rows = rows;
    this.previousRows = previousRows;
    this.nextRows = nextRows;
    this.sums = sums;
  }

  private static ExactSum[] fresh() {
    ExactSum[] s = new ExactSum[SUMS];
    for (int i = 0; i < SUMS; i++) {
      s[i] = new ExactSum();
    }
    return s;
  }

  /** The entropy term of one weight, {@code -a ln a}, 0 for {@code a = 0}; StrictMath's log. */
  public static double entropyTerm(double a) {
    return a > 0 ? -a * StrictMath.log(a) : 0.0;
  }

  /**
   * Adds one sentence's map of this head.
   *
   * @param a the weights, n x n with n &gt;= 1, rows summing to 1; not modified
   * @param causal whether only cells c &lt;= r are visible
   * @throws IllegalArgumentException when {@code a} is empty, not square, or holds a NaN or an
   *     infinity (nothing is added then)
   */
  public void addSentence(double[][] a, boolean causal) {
    int n = a.length;
    if (n == 0) {
      throw new IllegalArgumentException("a sentence has at least one row");
    }
    for (double[] row : a) {
      if (row.length != n) {
        throw new IllegalArgumentException("weights are not square: " + n + " x " + row.length);
      }
      for (double v : row) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("weight " + v);
        }
      }
    }
    ExactSum entropy = sums[ENTROPY];
    ExactSum distance = sums[DISTANCE];
    for (int r = 0; r < n; r++) {
      double[] row = a[r];
      int visible = causal ? r + 1 : n;
      for (int c = 0; c < visible; c++) {
        double w = row[c];
        if (w != 0) {
          entropy.add(entropyTerm(w));
          distance.add(w * Math.abs(r - c));
        }
      }
      sums[SELF].add(row[r]);
      sums[FIRST].add(row[0]);
      if (r >= 1) {
        sums[PREVIOUS].add(row[r - 1]);
        previousRows++;
      }
      if (!causal && r <= n - 2) {
        sums[NEXT].add(row[r + 1]);
        nextRows++;
      }
    }
    rows += n;
    sentences++;
  }

  /** Adds everything {@code other} holds; {@code other} is not changed in value. */
  public void merge(HeadSums other) {
    sentences += other.sentences;
    rows += other.rows;
    previousRows += other.previousRows;
    nextRows += other.nextRows;
    for (int i = 0; i < SUMS; i++) {
      sums[i].add(other.sums[i]);
    }
  }

  public long sentences() {
    return sentences;
  }

  public long rows() {
    return rows;
  }

  public long previousRows() {
    return previousRows;
  }

  public long nextRows() {
    return nextRows;
  }

  /** The six sums themselves, in the order {@link #ENTROPY} .. {@link #FIRST}. */
  public ExactSum[] sums() {
    return sums;
  }

  /**
   * The means: each exact sum rounded once to a double, then divided by its number of rows.
   * Previous and next are empty when no row has such a neighbour (one-token sentences, or next
   * under a causal mask); all are NaN when no sentence was added.
   */
  public Summary summary() {
    return new Summary(
        sentences,
        rows,
        mean(ENTROPY, rows),
        mean(DISTANCE, rows),
        mean(SELF, rows),
        previousRows == 0
            ? OptionalDouble.empty()
            : OptionalDouble.of(mean(PREVIOUS, previousRows)),
        nextRows == 0 ? OptionalDouble.empty() : OptionalDouble.of(mean(NEXT, nextRows)),
        mean(FIRST, rows));
  }

  private double mean(int which, long count) {
    return sums[which].round() / count;
  }

  /** The means over rows of one head's statistics; see {@link HeadSums}. */
  public record Summary(
      long sentences,
      long rows,
      double entropy,
      double distance,
      double self,
      OptionalDouble previous,
      OptionalDouble next,
      double first) {}

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HeadSums)) {
      return false;
    }
    HeadSums h = (HeadSums) o;
    return sentences == h.sentences
        && rows == h.rows
        && previousRows == h.previousRows
        && nextRows == h.nextRows
        && java.util.Arrays.equals(sums, h.sums);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(rows) * 31 + Long.hashCode(sentences);
  }

  @Override
  public String toString() {
    return "HeadSums{" + summary() + "}";
  }
}
