package dev.beamattention.bench;

import dev.beamattention.core.Gemm;
import dev.beamattention.core.PackedFactor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.BlockRealMatrix;
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
 * The projection product of a 128-token sentence at d_model 768 (128 x 768 times 768 x 768, 151
 * MFLOP), and of a 24-token one at d_model 256 (the bench's corpus), by our kernel, by our kernel
 * with B prepared once (as the weights are), and by Commons Math, in one run so their ratio holds
 * on a noisy host.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {
  private double[][] a;
  private double[][] b;
  private double[][] c;
  private PackedFactor prepared;
  private RealMatrix arrayA;
  private RealMatrix arrayB;
  private RealMatrix blockA;
  private RealMatrix blockB;

  /**
   * Rows of A by d_model: 128 tokens at 768, or 24 at 256 (the mean sentence of the corpus of
   * pipelines/bench.sh). JMH's {@code -p shape=24x256} picks one.
   */
  @Param({"128x768", "24x256"})
  public String shape;

  @Setup
  public void setup() {
    int cut = shape.indexOf('x');
    int rows = Integer.parseInt(shape.substring(0, cut));
    int width = Integer.parseInt(shape.substring(cut + 1));
    SplittableRandom random = new SplittableRandom(3);
    a = fill(random, rows, width);
    b = fill(random, width, width);
    c = new double[rows][width];
    prepared = PackedFactor.of(b);
    arrayA = new Array2DRowRealMatrix(a);
    arrayB = new Array2DRowRealMatrix(b);
    blockA = new BlockRealMatrix(a);
    blockB = new BlockRealMatrix(b);
  }

  private static double[][] fill(SplittableRandom random, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextDouble(-1, 1);
      }
    }
    return m;
  }

  @Benchmark
  public double[][] gemm() {
    Gemm.multiply(a, b, c, false);
    return c;
  }

  @Benchmark
  public double[][] gemmPrepared() {
    Gemm.multiply(a, prepared, c, false);
    return c;
  }

  @Benchmark
  public RealMatrix commonsArray2DRow() {
    return arrayA.multiply(arrayB);
  }

  @Benchmark
  public RealMatrix commonsBlock() {
    return blockA.multiply(blockB);
  }
}
