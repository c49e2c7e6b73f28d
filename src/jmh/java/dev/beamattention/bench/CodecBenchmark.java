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
 * The text side of sentences like pipelines/bench.sh's corpus (24 tokens, d_model 256, 4 heads),
 * single thread: parsing an input line, and formatting its two output records. Divide by the number
 * of doubles (6,144 read; 6,144 and 2,304 written) for nanoseconds per number.
 *
 * <p>Each call takes the next of {@link #SENTENCES} different sentences: with one sentence over and
 * over, the branch predictor learns its digits, and parsing and formatting ran about 2x faster than
 * in the job.
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
  private static final int SENTENCES = 256;

  private String[] lines;
  private byte[][] lineBytes;
  private SentenceParser parser;
  private AttendedSentence[] attended;
  private JsonBuffer out;
  private int next;

  @Setup
  public void setup() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    lines = new String[SENTENCES];
    lineBytes = new byte[SENTENCES][];
    attended = new AttendedSentence[SENTENCES];
    for (int s = 0; s < SENTENCES; s++) {
      String[] tokens = new String[N];
      double[][] x = new double[N][D];
      for (int r = 0; r < N; r++) {
        tokens[r] = "tok" + r;
        for (int c = 0; c < D; c++) {
          x[r][c] = random.nextDouble(-2, 2);
        }
      }
      lines[s] = JsonLines.sentence(new Sentence("s" + s, tokens, x));
      lineBytes[s] = lines[s].getBytes(java.nio.charset.StandardCharsets.UTF_8);
      double[][][] weights = new double[HEADS][N][N];
      for (double[][] head : weights) {
        for (double[] row : head) {
          for (int c = 0; c < N; c++) {
            row[c] = random.nextDouble() / N;
          }
        }
      }
      attended[s] = new AttendedSentence("s" + s, tokens, x, weights);
    }
    parser = new SentenceParser(D, 4096);
    out = new JsonBuffer(1 << 20);
  }

  private int next() {
    next = (next + 1) % SENTENCES;
    return next;
  }

  @Benchmark
  public Sentence parse() throws Exception {
    return parser.parse(lines[next()]);
  }

  @Benchmark
  public ParsedLine parseBytes() throws Exception {
    byte[] line = lineBytes[next()];
    return parser.parseRecord(line, 0, line.length, false);
  }

  @Benchmark
  public int formatContextual() {
    out.reset();
    JsonLines.CONTEXTUAL.write(out, attended[next()]);
    return out.size();
  }

  @Benchmark
  public int formatAttention() {
    out.reset();
    JsonLines.ATTENTION.write(out, attended[next()]);
    return out.size();
  }
}
