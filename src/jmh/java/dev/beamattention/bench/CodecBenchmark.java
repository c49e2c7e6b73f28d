package dev.beamattention.bench;

import dev.beamattention.json.JsonBuffer;
import dev.beamattention.json.JsonLines;
import dev.beamattention.json.ParsedLine;
import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.Sentence;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The text side of one sentence of pipelines/bench.sh's corpus (24 tokens, d_model 256, 4 heads),
 * single thread: parsing its input line, and formatting its two output records. Divide by the
 * number of doubles (6,144 read; 6,144 and 2,304 written) for nanoseconds per number.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark {
  private static final int N = 24;
  private static final int D = 256;
  private static final int HEADS = 4;

  private String line;
  private byte[] lineBytes;
  private SentenceParser parser;
  private AttendedSentence attended;
  private JsonBuffer out;

  @Setup
  public void setup() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    String[] tokens = new String[N];
    double[][] x = new double[N][D];
    for (int r = 0; r < N; r++) {
      tokens[r] = "tok" + r;
      for (int c = 0; c < D; c++) {
        x[r][c] = random.nextDouble(-2, 2);
      }
    }
    line = JsonLines.sentence(new Sentence("s1", tokens, x));
    lineBytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    parser = new SentenceParser(D, 4096);
    double[][][] weights = new double[HEADS][N][N];
    for (double[][] head : weights) {
      for (double[] row : head) {
        for (int c = 0; c < N; c++) {
          row[c] = random.nextDouble() / N;
        }
      }
    }
    attended = new AttendedSentence("s1", tokens, x, weights);
    out = new JsonBuffer(1 << 20);
  }

  @Benchmark
  public Sentence parse() throws Exception {
    return parser.parse(line);
  }

  @Benchmark
  public ParsedLine parseBytes() throws Exception {
    return parser.parseRecord(lineBytes, 0, lineBytes.length, false);
  }

  @Benchmark
  public int formatContextual() {
    out.reset();
    JsonLines.CONTEXTUAL.write(out, attended);
    return out.size();
  }

  @Benchmark
  public int formatAttention() {
    out.reset();
    JsonLines.ATTENTION.write(out, attended);
    return out.size();
  }
}
