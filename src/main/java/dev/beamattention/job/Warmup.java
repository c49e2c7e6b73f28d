package dev.beamattention.job;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionResult;
import dev.beamattention.core.MultiHeadAttention;
import dev.beamattention.core.Scale;
import dev.beamattention.json.JsonBuffer;
import dev.beamattention.json.JsonLines;
import dev.beamattention.json.ParsedLine;
import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.OutputPrecision;
import dev.beamattention.record.Sentence;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hot path (parse a line, attend, format both records) on made-up sentences in a
 * background thread while the pipeline is built and translated, so that the JIT has compiled it
 * before the first real sentence arrives.
 *
 * <p>Why: building and translating the pipeline keeps one core busy for about a second and leaves
 * the other idle, and until C2 compiles the matrix kernel the vector API runs its slow generic code
 * (a profile of a 576 MB run found 0.6 s of it). Only for runners that work in this JVM (the
 * DirectRunner, an embedded Flink); its results are thrown away and the weights are only read.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  // Enough sentences for the compilers' thresholds, and never more than this much time.
  private static final int SENTENCES = 300;
  private static final long BUDGET_NANOS = 1_500_000_000L;

  private Warmup() {}

  /** Whether the arguments name a runner that runs the pipeline in this JVM. */
  static boolean runsHere(String[] args) {
    String name = RunnerDefaults.runnerName(args);
    if (name.equals("direct") || name.equals("directrunner")) {
      return true;
    }
    if (name.equals("flink") || name.equals("flinkrunner")) {
      String master = RunnerDefaults.flinkMaster(args);
      return master.equals("[local]") || master.equals("[auto]");
    }
    return false;
  }

  /** Starts the warm-up in a daemon thread, which ends by itself. */
  static void start(
      AttentionParameters weights, Scale scale, boolean causal, OutputPrecision precision) {
    Thread thread =
        new Thread(
            () -> {
              try {
                int done = run(weights, scale, causal, precision, SENTENCES, BUDGET_NANOS);
                LOG.debug("warm-up: {} sentences", done);
              } catch (RuntimeException e) {
                LOG.debug("warm-up stopped", e); // it only ever costs time
              }
            },
            "warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Parses, attends and formats up to {@code sentences} random sentences of 8 to 40 tokens, for at
   * most {@code budgetNanos}.
   *
   * @return the number of sentences done
   */
  static int run(
      AttentionParameters weights,
      Scale scale,
      boolean causal,
      OutputPrecision precision,
      int sentences,
      long budgetNanos) {
    long deadline = System.nanoTime() + budgetNanos;
    SplittableRandom random = new SplittableRandom(1);
    MultiHeadAttention attention = new MultiHeadAttention(weights, scale, causal);
    SentenceParser parser = new SentenceParser(weights.dModel(), 1024);
    JsonBuffer out = new JsonBuffer(1 << 16);
    JsonLines.Format<AttendedSentence> contextual = JsonLines.contextualFormat(precision);
    JsonLines.Format<AttendedSentence> attentionFormat = JsonLines.attentionFormat(precision);
    int done = 0;
    while (done < sentences && System.nanoTime() < deadline) {
      int n = 8 + random.nextInt(33);
      String[] tokens = new String[n];
      double[][] x = new double[n][weights.dModel()];
      for (int r = 0; r < n; r++) {
        tokens[r] = "w" + r;
        for (int c = 0; c < x[r].length; c++) {
          x[r][c] = random.nextDouble(-2, 2);
        }
      }
      byte[] line =
          JsonLines.sentence(new Sentence("warm-up", tokens, x)).getBytes(StandardCharsets.UTF_8);
      Sentence parsed;
      try {
        parsed = ((ParsedLine.Embedded) parser.parseRecord(line, 0, line.length, false)).sentence();
      } catch (dev.beamattention.record.BadRecordException e) {
        throw new IllegalStateException(e);
      }
      AttentionResult result = attention.apply(parsed.embeddings());
      AttendedSentence attended =
          new AttendedSentence(parsed.id(), tokens, result.outputRows(), result.weightRows());
      out.reset();
      contextual.write(out, attended);
      attentionFormat.write(out, attended);
      done++;
    }
    return done;
  }
}
