package dev.beamattention.bench;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionResult;
import dev.beamattention.core.MultiHeadAttention;
import dev.beamattention.core.Scale;
import dev.beamattention.weights.RandomWeights;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One sentence through the attention kernel, single thread: microseconds per sentence. The
 * floating-point work per sentence (see pipelines/bench-kernel.sh, which turns times into GFLOP/s)
 * is 2*n*d_model*h*(2*d_k + d_v) for the projections plus 2*n*n*h*(d_k + d_v) for scores and
 * values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class AttentionBenchmark {
  @Param({"8", "32", "128", "512"})
  public int n;

  @Param({"64", "256", "768"})
  public int dModel;

  @Param({"1", "8"})
  public int heads;

  /** With an output projection w_o (d_model x d_model) as in pipelines/bench.sh; off by default. */
  @Param({"false"})
  public boolean outputProjection;

  private MultiHeadAttention kernel;
  private RealMatrix x;

  @Setup
  public void setup() {
    AttentionParameters weights = RandomWeights.xavier(dModel, heads, 0, 0, 42);
    SplittableRandom random = new SplittableRandom(1);
    if (outputProjection) {
      // Own draws for all four (the xavier ones stay as they were for the other shapes).
      weights =
          AttentionParameters.of(
              heads,
              Map.of(
                  "w_q", uniform(random, dModel),
                  "w_k", uniform(random, dModel),
                  "w_v", uniform(random, dModel),
                  "w_o", uniform(random, dModel)));
    }
    kernel = new MultiHeadAttention(weights, Scale.auto(), false);
    double[][] rows = new double[n][dModel];
    for (double[] row : rows) {
      for (int c = 0; c < dModel; c++) {
        row[c] = random.nextDouble(-1, 1);
      }
    }
    x = new Array2DRowRealMatrix(rows, false);
  }

  private static double[][] uniform(SplittableRandom random, int d) {
    double[][] m = new double[d][d];
    for (double[] row : m) {
      for (int c = 0; c < d; c++) {
        row[c] = random.nextDouble(-0.1, 0.1);
      }
    }
    return m;
  }

  @Benchmark
  public AttentionResult attend() {
    return kernel.apply(x);
  }
}
