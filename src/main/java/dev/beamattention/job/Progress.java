package dev.beamattention.job;

import dev.beamattention.read.ReadSentences;
import dev.beamattention.write.WriteOutputs;
import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * A progress line on stderr every few seconds while a batch run goes on: sentences read and
 * written, the share of the input's bytes read, the rate and the time left. It reads the runner's
 * attempted metrics, so it shows where the runner reports them while running (Direct, Dataflow);
 * embedded Flink reports them only at the end, and then it stays silent.
 */
final class Progress implements AutoCloseable {
  private final PipelineResult result;
  private final OptionalLong inputBytes;
  private final PrintStream err;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService timer;

  private Progress(PipelineResult result, OptionalLong inputBytes, PrintStream err, long seconds) {
    this.result = result;
    this.inputBytes = inputBytes;
    this.err = err;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "progress");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::report, seconds, seconds, TimeUnit.SECONDS);
  }

  /**
   * Reports on {@code result} every {@code seconds} until closed.
   *
   * @param inputBytes the input's size, when the bytes read can be compared with it (no compressed
   *     file)
   */
  static Progress every(
      long seconds, PipelineResult result, OptionalLong inputBytes, PrintStream err) {
    return new Progress(result, inputBytes, err, seconds);
  }

  private void report() {
    try {
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder().build());
      long read = attempted(m, ReadSentences.class, ReadSentences.SENTENCES_READ);
      long written = attempted(m, WriteOutputs.class, WriteOutputs.SENTENCES_WRITTEN);
      if (read == 0) {
        return; // nothing reported yet, or a runner that reports only at the end
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long bytes = attempted(m, ReadSentences.class, ReadSentences.INPUT_BYTES);
      err.println(line(seconds, read, written, bytes, inputBytes));
    } catch (RuntimeException e) {
      // Progress is a courtesy: a runner that cannot answer now is asked again later.
    }
  }

  /** The progress line after {@code seconds}, with the input's size when it is known. */
  static String line(
      double seconds, long read, long written, long bytesRead, OptionalLong inputBytes) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "beam-attention: %,d sentences read, %,d written, %,.0f/s",
                read,
                written,
                read / Math.max(seconds, 1e-3)));
    if (inputBytes.isPresent() && inputBytes.getAsLong() > 0 && bytesRead > 0) {
      double share = Math.min(1.0, (double) bytesRead / inputBytes.getAsLong());
      s.append(String.format(Locale.ROOT, ", %.0f%% of the input", 100 * share));
      if (share < 1.0) {
        s.append(String.format(Locale.ROOT, ", about %.0f s left", seconds * (1 - share) / share));
      }
    }
    return s.toString();
  }

  private static long attempted(MetricQueryResults m, Class<?> namespace, String name) {
    MetricName wanted = MetricName.named(namespace, name);
    long sum = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      if (c.getName().equals(wanted)) {
        sum += c.getAttempted();
      }
    }
    return sum;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
