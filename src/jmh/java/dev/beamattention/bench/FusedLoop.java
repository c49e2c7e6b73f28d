package dev.beamattention.bench;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionResult;
import dev.beamattention.core.MultiHeadAttention;
import dev.beamattention.core.Scale;
import dev.beamattention.json.JsonBuffer;
import dev.beamattention.json.JsonLines;
import dev.beamattention.json.ParsedLine;
import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.Sentence;
import dev.beamattention.weights.WeightsFiles;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The job's per-sentence work with no runner around it: parse, attend, format both records, on
 * THREADS threads over a corpus held in memory, output discarded. Its time is the floor under the
 * pipeline's: what the same code costs with nothing else to do.
 *
 * <pre>
 * mvn -Pjmh package -DskipTests
 * java --add-modules=jdk.incubator.vector -Xmx3g -cp target/benchmarks.jar \
 *     dev.beamattention.bench.FusedLoop THREADS CORPUS.jsonl WEIGHTS.npz HEADS [ROUNDS]
 * </pre>
 *
 * <p>Each round prints its wall time and, per sentence and thread, the time of each step; the first
 * round includes the JIT's warm-up.
 */
public final class FusedLoop {
  private FusedLoop() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    byte[] corpus = Files.readAllBytes(Path.of(args[1]));
    AttentionParameters weights;
    try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
      weights =
          WeightsFiles.read(
              in, Path.of(args[2]).getFileName().toString(), Integer.parseInt(args[3]));
    }
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    List<int[]> lines = new ArrayList<>();
    for (int start = 0, i = 0; i < corpus.length; i++) {
      if (corpus[i] == '\n') {
        lines.add(new int[] {start, i - start});
        start = i + 1;
      }
    }
    MultiHeadAttention kernel = new MultiHeadAttention(weights, Scale.auto(), false);
    for (int round = 1; round <= rounds; round++) {
      AtomicInteger next = new AtomicInteger();
      long[][] nanos = new long[threads][3];
      List<Thread> running = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        long[] mine = nanos[t];
        Thread thread =
            new Thread(
                () -> work(corpus, lines, next, weights.dModel(), kernel, mine), "fused-" + t);
        running.add(thread);
        thread.start();
      }
      for (Thread thread : running) {
        thread.join();
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      double[] perSentence = new double[3];
      for (long[] n : nanos) {
        for (int s = 0; s < 3; s++) {
          perSentence[s] += n[s] / 1e3 / lines.size();
        }
      }
      System.out.printf(
          "round %d, %d threads: %.2f s for %d sentences; per sentence: parse %.0f us, attend %.0f us,"
              + " format %.0f us%n",
          round, threads, wall, lines.size(), perSentence[0], perSentence[1], perSentence[2]);
    }
  }

  private static void work(
      byte[] corpus,
      List<int[]> lines,
      AtomicInteger next,
      int dModel,
      MultiHeadAttention kernel,
      long[] nanos) {
    SentenceParser parser = new SentenceParser(dModel, 4096);
    JsonBuffer buffer = new JsonBuffer(1 << 20);
    OutputStream sink = OutputStream.nullOutputStream();
    try {
      for (int i; (i = next.getAndIncrement()) < lines.size(); ) {
        int[] line = lines.get(i);
        long a = System.nanoTime();
        Sentence s =
            ((ParsedLine.Embedded) parser.parseRecord(corpus, line[0], line[1], false)).sentence();
        long b = System.nanoTime();
        AttentionResult r = kernel.apply(s.embeddings());
        AttendedSentence attended =
            new AttendedSentence(s.id(), s.tokens(), r.outputRows(), r.weightRows());
        long c = System.nanoTime();
        buffer.reset();
        JsonLines.CONTEXTUAL.write(buffer, attended);
        buffer.writeTo(sink);
        buffer.reset();
        JsonLines.ATTENTION.write(buffer, attended);
        buffer.writeTo(sink);
        long d = System.nanoTime();
        nanos[0] += b - a;
        nanos[1] += c - b;
        nanos[2] += d - c;
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
