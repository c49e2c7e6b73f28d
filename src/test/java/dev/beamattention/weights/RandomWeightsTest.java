package dev.beamattention.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionShapeException;
import org.junit.jupiter.api.Test;

class RandomWeightsTest {
  @Test
  void theSameSeedGivesTheSameWeights() {
    AttentionParameters a = RandomWeights.xavier(12, 3, 0, 0, 42);
    AttentionParameters b = RandomWeights.xavier(12, 3, 0, 0, 42);
    assertArrayEquals(a.wQ().getData(), b.wQ().getData());
    assertArrayEquals(a.wV().getData(), b.wV().getData());
    assertFalse(
        java.util.Arrays.deepEquals(
            a.wQ().getData(), RandomWeights.xavier(12, 3, 0, 0, 43).wQ().getData()));
  }

  @Test
  void pinnedValuesGuardAgainstAChangedSequence() {
    // SplittableRandom's sequence is specified: these must never change, or weights.npz of old
    // runs stop being reproducible. bound = sqrt(6 / (2 + 1 * (2*2 + 2))) = sqrt(0.75).
    AttentionParameters w = RandomWeights.xavier(2, 1, 0, 0, 42);
    java.util.SplittableRandom r = new java.util.SplittableRandom(42);
    double bound = Math.sqrt(0.75);
    assertEquals(bound * (2 * r.nextDouble() - 1), w.wQ().getEntry(0, 0), 0.0);
    assertEquals(bound * (2 * r.nextDouble() - 1), w.wQ().getEntry(0, 1), 0.0);
  }

  @Test
  void drawsXavierUniformWithinTheBound() {
    AttentionParameters w = RandomWeights.xavier(64, 8, 0, 0, 1);
    double bound = Math.sqrt(6.0 / (64 + 3 * 64));
    double sum = 0;
    for (double[] row : w.wK().getData()) {
      for (double v : row) {
        assertTrue(Math.abs(v) <= bound);
        sum += v;
      }
    }
    assertEquals(0.0, sum / (64 * 64), 0.05, "mean near zero");
    assertEquals(8, w.dK());
    assertFalse(w.hasOutputProjection());
  }

  @Test
  void explicitHeadWidths() {
    AttentionParameters w = RandomWeights.xavier(10, 3, 5, 2, 1);
    assertEquals(5, w.dK());
    assertEquals(2, w.dV());
    assertEquals(6, w.dOut());
  }

  @Test
  void saysWhenDModelIsNotDivisible() {
    AttentionShapeException e =
        assertThrows(AttentionShapeException.class, () -> RandomWeights.xavier(10, 3, 0, 0, 1));
    assertEquals(
        "d_model = 10 is not divisible by 3 heads: choose another --heads or give --dK and --dV",
        e.getMessage());
  }
}
