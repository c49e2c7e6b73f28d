package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.Scale;
import dev.beamattention.record.OutputPrecision;
import dev.beamattention.weights.RandomWeights;
import org.junit.jupiter.api.Test;

/** The warm-up runs the whole hot path, leaves the weights as they were, and only runs in-JVM. */
class WarmupTest {
  @Test
  void parsesAttendsAndFormatsWithoutTouchingTheWeights() {
    AttentionParameters weights = RandomWeights.xavier(32, 4, 8, 8, 5L);
    double[][] wQ = weights.wQ().getData(); // copies
    double[][] wV = weights.wV().getData();
    int done =
        Warmup.run(weights, Scale.auto(), true, OutputPrecision.FLOAT32, 12, 60_000_000_000L);
    assertEquals(12, done);
    assertArrayEquals(wQ, weights.wQ().getData());
    assertArrayEquals(wV, weights.wV().getData());
  }

  @Test
  void stopsAtItsTimeBudget() {
    AttentionParameters weights = RandomWeights.xavier(32, 4, 8, 8, 5L);
    assertEquals(0, Warmup.run(weights, Scale.auto(), false, OutputPrecision.FLOAT64, 50, 0L));
  }

  @Test
  void onlyForRunnersInThisJvm() {
    assertTrue(Warmup.runsHere(new String[] {"--input=x"}));
    assertTrue(Warmup.runsHere(new String[] {"--runner=DirectRunner"}));
    assertTrue(Warmup.runsHere(new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]"}));
    assertTrue(Warmup.runsHere(new String[] {"--runner=flink"}));
    assertFalse(
        Warmup.runsHere(new String[] {"--runner=FlinkRunner", "--flinkMaster=localhost:8081"}));
    assertFalse(Warmup.runsHere(new String[] {"--runner=DataflowRunner"}));
    assertFalse(Warmup.runsHere(new String[] {"--runner=SparkRunner"}));
  }
}
