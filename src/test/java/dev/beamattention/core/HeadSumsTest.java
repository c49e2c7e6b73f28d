package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** HeadSums: hand-checked maps, a naive reference on random maps, and order independence. */
class HeadSumsTest {
  private static final long SEED = 17L;

  /** Uniform weights over the n tokens (causal: over the r + 1 visible ones). */
  private static double[][] uniform(int n, boolean causal) {
    double[][] a = new double[n][n];
    for (int r = 0; r < n; r++) {
      int visible = causal ? r + 1 : n;
      for (int c = 0; c < visible; c++) {
        a[r][c] = 1.0 / visible;
      }
    }
    return a;
  }

  /** Random softmax rows of random lengths, as the attention kernel makes them. */
  private static double[][] randomMap(Random random, int n, boolean causal) {
    double[][] a = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        a[r][c] = random.nextGaussian() * 3;
      }
      Softmax.inPlace(a[r], causal ? r + 1 : n);
    }
    return a;
  }

  @Test
  void uniformAttentionHasEntropyLnN() {
    for (int n = 1; n <= 9; n++) {
      HeadSums sums = new HeadSums();
      sums.addSentence(uniform(n, false), false);
      HeadSums.Summary s = sums.summary();
      assertEquals(Math.log(n), s.entropy(), Tolerances.REFERENCE, "n = " + n);
      assertEquals(1.0 / n, s.self(), Tolerances.REFERENCE);
      assertEquals(1.0 / n, s.first(), Tolerances.REFERENCE);
      // Mean |r - c| over all n^2 cells: (n^2 - 1) / (3n).
      assertEquals((n * n - 1.0) / (3.0 * n), s.distance(), Tolerances.REFERENCE);
      assertEquals(n, s.rows());
      assertEquals(n > 1, s.previous().isPresent());
      assertEquals(n > 1, s.next().isPresent());
    }
  }

  @Test
  void identityLikeHeadAttendsToItself() {
    int n = 6;
    double eps = 1e-9;
    double[][] a = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        a[r][c] = r == c ? 1 - eps * (n - 1) : eps;
      }
    }
    HeadSums sums = new HeadSums();
    sums.addSentence(a, false);
    HeadSums.Summary s = sums.summary();
    assertEquals(1.0, s.self(), 1e-8);
    double diagonal = 1 - eps * (n - 1);
    double entropy = -diagonal * Math.log(diagonal) - (n - 1) * eps * Math.log(eps);
    assertEquals(entropy, s.entropy(), entropy * 1e-9);
    // Each row's off-diagonal distances sum, over all rows, to (n^3 - n) / 3.
    assertEquals(eps * (n * n * n - n) / 3.0 / n, s.distance(), Tolerances.REFERENCE);
    assertEquals(eps, s.previous().getAsDouble(), Tolerances.REFERENCE);
    assertEquals(eps, s.next().getAsDouble(), Tolerances.REFERENCE);
  }

  @Test
  void causalUniformCountsVisibleCellsOnlyAndHasNoNext() {
    int n = 5;
    HeadSums sums = new HeadSums();
    sums.addSentence(uniform(n, true), true);
    HeadSums.Summary s = sums.summary();
    double entropy = 0;
    double self = 0;
    for (int r = 0; r < n; r++) {
      entropy += Math.log(r + 1);
      self += 1.0 / (r + 1);
    }
    assertEquals(entropy / n, s.entropy(), Tolerances.REFERENCE);
    assertEquals(self / n, s.self(), Tolerances.REFERENCE);
    assertFalse(s.next().isPresent());
    assertEquals(1.0, ExactSum.of(1.0).round());
  }

  @Test
  void matchesANaiveReference() {
    Random random = new Random(SEED);
    for (boolean causal : new boolean[] {false, true}) {
      HeadSums sums = new HeadSums();
      double entropy = 0, distance = 0, self = 0, previous = 0, next = 0, first = 0;
      long rows = 0, previousRows = 0, nextRows = 0;
      for (int sentence = 0; sentence < 40; sentence++) {
        int n = 1 + random.nextInt(12);
        double[][] a = randomMap(random, n, causal);
        sums.addSentence(a, causal);
        for (int r = 0; r < n; r++) {
          for (int c = 0; c < n; c++) {
            if (a[r][c] > 0) {
              entropy -= a[r][c] * Math.log(a[r][c]);
            }
            distance += a[r][c] * Math.abs(r - c);
          }
          self += a[r][r];
          first += a[r][0];
          if (r >= 1) {
            previous += a[r][r - 1];
            previousRows++;
          }
          if (!causal && r + 1 < n) {
            next += a[r][r + 1];
            nextRows++;
          }
          rows++;
        }
      }
      HeadSums.Summary s = sums.summary();
      assertEquals(40, s.sentences());
      assertEquals(rows, s.rows());
      assertClose(entropy / rows, s.entropy());
      assertClose(distance / rows, s.distance());
      assertClose(self / rows, s.self());
      assertClose(first / rows, s.first());
      assertClose(previous / previousRows, s.previous().getAsDouble());
      if (causal) {
        assertFalse(s.next().isPresent());
      } else {
        assertClose(next / nextRows, s.next().getAsDouble());
      }
      assertTrue(s.entropy() >= 0 && s.self() <= 1 && s.first() <= 1);
    }
  }

  @Test
  void sameBitsWhateverTheOrderOfSentencesAndMerges() {
    Random random = new Random(SEED + 1);
    List<double[][]> maps = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      maps.add(randomMap(random, 1 + random.nextInt(15), false));
    }
    HeadSums inOrder = new HeadSums();
    maps.forEach(m -> inOrder.addSentence(m, false));
    for (int trial = 0; trial < 10; trial++) {
      Collections.shuffle(maps, random);
      HeadSums left = new HeadSums();
      HeadSums right = new HeadSums();
      for (double[][] m : maps) {
        (random.nextBoolean() ? left : right).addSentence(m, false);
      }
      right.merge(left);
      assertEquals(inOrder, right);
      assertEquals(inOrder.summary(), right.summary());
    }
  }

  @Test
  void refusesMapsThatAreNotSquareOrNotFinite() {
    HeadSums sums = new HeadSums();
    assertThrows(IllegalArgumentException.class, () -> sums.addSentence(new double[0][], false));
    assertThrows(
        IllegalArgumentException.class, () -> sums.addSentence(new double[][] {{1, 0}}, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> sums.addSentence(new double[][] {{Double.NaN}}, false));
    assertEquals(0, sums.rows());
  }

  private static void assertClose(double expected, double actual) {
    assertEquals(expected, actual, Math.abs(expected) * Tolerances.REFERENCE);
  }
}
