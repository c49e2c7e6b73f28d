package dev.beamattention.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.beamattention.attend.Attend;
import dev.beamattention.core.AttentionParameters;
import dev.beamattention.embed.EmbedSentences;
import dev.beamattention.files.OutputCompression;
import dev.beamattention.read.ReadSentences;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.OutputPrecision;
import dev.beamattention.weights.WeightsSource;
import dev.beamattention.write.WriteOutputs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * {@code run.json}: what a finished run read, wrote and rejected, the weights' shapes, and the
 * options it ran with.
 *
 * @param state the pipeline's final state, {@code DONE} when it ran to its end
 * @param seconds wall time from building the graph to the end of the run
 * @param options the options as run.json lists them, in order
 */
public record RunManifest(
    String state,
    String runner,
    double seconds,
    Counts counts,
    Map<ErrorKind, Long> errorsByReason,
    Lengths sentenceLength,
    Shapes weights,
    Map<String, Object> options) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The run's counts: {@code sentencesRead = sentencesWritten + errors}, and the errors arose as
   * {@code malformedLines} (unusable lines), {@code attentionFailures} (refused by the attention
   * step) or, with a table, unknown tokens under {@code --oov=error}.
   */
  public record Counts(
      long sentencesRead,
      long sentencesWritten,
      long errors,
      long tokens,
      long blankLines,
      long malformedLines,
      long widthMismatches,
      long attentionFailures,
      long duplicateIds,
      Optional<TableCounts> table) {
    Map<String, Object> asMap() {
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("sentencesRead", sentencesRead);
      counts.put("sentencesWritten", sentencesWritten);
      counts.put("errors", errors);
      counts.put("tokens", tokens);
      counts.put("blankLines", blankLines);
      counts.put("malformedLines", malformedLines);
      counts.put("widthMismatches", widthMismatches);
      counts.put("attentionFailures", attentionFailures);
      counts.put("duplicateIds", duplicateIds);
      table.ifPresent(
          t -> {
            counts.put("unknownTokens", t.unknownTokens());
            counts.put("tableRows", t.tableRows());
            counts.put("tableProblems", t.tableProblems());
          });
      return counts;
    }

    @Override
    public String toString() {
      return asMap().toString();
    }
  }

  /** Counts of a run with a word-vector table. */
  public record TableCounts(long unknownTokens, long tableRows, long tableProblems) {}

  /** Tokens per sentence written: how many sentences, the least, the most and the mean. */
  public record Lengths(long count, long min, long max, double mean) {}

  /** The weights' source and shapes. */
  public record Shapes(
      String source, int heads, int dModel, int dK, int dV, int dOut, boolean outputProjection) {}

  /**
   * The manifest of a finished run, from the result's metrics (committed where the runner has
   * them).
   */
  static RunManifest of(PipelineResult result, AttentionOptions o, JobPlan plan, double seconds) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Optional<TableCounts> table =
        plan.table()
            .map(
                t ->
                    new TableCounts(
                        counter(metrics, EmbedSentences.class, EmbedSentences.UNKNOWN_TOKENS),
                        counter(metrics, EmbedSentences.class, EmbedSentences.TABLE_ROWS),
                        counter(metrics, EmbedSentences.class, EmbedSentences.TABLE_PROBLEMS)));
    Counts counts =
        new Counts(
            counter(metrics, ReadSentences.class, ReadSentences.SENTENCES_READ),
            counter(metrics, WriteOutputs.class, WriteOutputs.SENTENCES_WRITTEN),
            counter(metrics, WriteOutputs.class, WriteOutputs.ERROR_RECORDS),
            counter(metrics, Attend.class, Attend.TOKENS),
            counter(metrics, ReadSentences.class, ReadSentences.BLANK_LINES),
            counter(metrics, ReadSentences.class, ReadSentences.MALFORMED_LINES),
            counter(metrics, ReadSentences.class, ReadSentences.WIDTH_MISMATCHES),
            counter(metrics, Attend.class, Attend.ATTENTION_FAILURES),
            counter(metrics, WriteOutputs.class, WriteOutputs.DUPLICATE_IDS),
            table);
    Map<ErrorKind, Long> byReason = new EnumMap<>(ErrorKind.class);
    for (ErrorKind kind : ErrorKind.values()) {
      long n = counter(metrics, WriteOutputs.class, WriteOutputs.errorCounter(kind));
      if (n > 0) {
        byReason.put(kind, n);
      }
    }
    DistributionResult lengths = DistributionResult.IDENTITY_ELEMENT;
    MetricName lengthName = MetricName.named(Attend.class, Attend.SENTENCE_LENGTH);
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      if (d.getName().equals(lengthName)) {
        lengths = value(d);
      }
    }
    boolean none = lengths.getCount() == 0;
    Lengths length =
        new Lengths(
            lengths.getCount(),
            none ? 0 : lengths.getMin(),
            none ? 0 : lengths.getMax(),
            none ? 0.0 : lengths.getMean());
    AttentionParameters w = plan.weights();
    Shapes shapes =
        new Shapes(
            plan.source().describe(),
            w.heads(),
            w.dModel(),
            w.dK(),
            w.dV(),
            w.dOut(),
            w.hasOutputProjection());
    return new RunManifest(
        String.valueOf(result.getState()),
        o.getRunner().getSimpleName(),
        Math.round(seconds * 1000) / 1000.0,
        counts,
        byReason,
        length,
        shapes,
        optionsOf(o, plan));
  }

  private static Map<String, Object> optionsOf(AttentionOptions o, JobPlan plan) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("input", o.getInput());
    options.put("output", o.getOutput());
    putIf(options, "inputFormat", "parquet", plan.parquetInput());
    putIf(options, "outputFormat", "parquet", plan.parquetOutput());
    putIf(options, "weights", o.getWeights(), !o.getWeights().isEmpty());
    options.put("heads", plan.weights().heads());
    putIf(
        options,
        "weightsLayout",
        o.getWeightsLayout().trim().toLowerCase(Locale.ROOT),
        WeightsSource.isSafetensors(o.getWeights()));
    putIf(options, "weightsPrefix", o.getWeightsPrefix(), !o.getWeightsPrefix().isEmpty());
    // 0 means "derived": the weights section has the values used.
    putIf(options, "dK", o.getdK(), o.getdK() > 0);
    putIf(options, "dV", o.getdV(), o.getdV() > 0);
    putIf(options, "dModel", o.getdModel(), o.getdModel() > 0);
    putIf(options, "seed", o.getSeed(), o.getWeights().isEmpty());
    options.put("scale", plan.scale().toString());
    options.put("causal", o.getCausal());
    options.put("attention", plan.kept().lowerName());
    // Left out at their defaults, so run.json reads as before for runs that do not use them.
    putIf(
        options,
        "outputPrecision",
        plan.precision().lowerName(),
        plan.precision() != OutputPrecision.FLOAT64);
    putIf(
        options,
        "compression",
        plan.compression().lowerName(),
        plan.compression() != OutputCompression.NONE);
    options.put("maxLineBytes", o.getMaxLineBytes());
    options.put("maxTokens", o.getMaxTokens());
    options.put("maxAttentionCells", o.getMaxAttentionCells());
    putIf(options, "numShards", o.getNumShards(), o.getNumShards() > 0);
    putIf(options, "heatmaps", o.getHeatmaps(), o.getHeatmaps() > 0);
    putIf(options, "heatmapIds", o.getHeatmapIds(), !o.getHeatmapIds().isBlank());
    options.put("maxErrorShare", o.getMaxErrorShare());
    putIf(options, "overwrite", true, o.getOverwrite());
    putIf(options, "embeddings", o.getEmbeddings(), !o.getEmbeddings().isEmpty());
    plan.table()
        .ifPresent(
            t -> {
              options.put("embeddingJoin", t.join().name().toLowerCase(Locale.ROOT));
              options.put("oov", t.oov().name().toLowerCase(Locale.ROOT));
              options.put("lowercase", o.getLowercase());
            });
    options.put("streaming", o.isStreaming());
    if (o.getHeadStats()) {
      // Only when on: runs without it keep their run.json bytes.
      options.put("headStats", true);
      options.put("headStatsTopPairs", o.getHeadStatsTopPairs());
    }
    return options;
  }

  private static void putIf(Map<String, Object> map, String key, Object value, boolean set) {
    if (set) {
      map.put(key, value);
    }
  }

  /** Whether the pipeline ran to its end. */
  boolean done() {
    return state.equals("DONE");
  }

  /** Writes the manifest as {@code DIR/run.json}. */
  void write(String directory) throws IOException {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("state", state);
    manifest.put("runner", runner);
    manifest.put("seconds", seconds);
    manifest.put("counts", counts.asMap());
    Map<String, Long> reasons = new LinkedHashMap<>();
    errorsByReason.forEach((kind, n) -> reasons.put(kind.key(), n));
    manifest.put("errorsByReason", reasons);
    Map<String, Object> length = new LinkedHashMap<>();
    length.put("count", sentenceLength.count());
    length.put("min", sentenceLength.min());
    length.put("max", sentenceLength.max());
    length.put("mean", sentenceLength.mean());
    manifest.put("sentenceLength", length);
    Map<String, Object> shapes = new LinkedHashMap<>();
    shapes.put("source", weights.source());
    shapes.put("heads", weights.heads());
    shapes.put("dModel", weights.dModel());
    shapes.put("dK", weights.dK());
    shapes.put("dV", weights.dV());
    shapes.put("dOut", weights.dOut());
    shapes.put("outputProjection", weights.outputProjection());
    manifest.put("weights", shapes);
    manifest.put("options", options);
    ResourceId file =
        FileSystems.matchNewResource(directory, true)
            .resolve("run.json", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
      JSON.writeValue(out, manifest);
    }
  }

  // Summed over steps: a counter is reported per step that updates it.
  private static long counter(MetricQueryResults metrics, Class<?> namespace, String name) {
    MetricName wanted = MetricName.named(namespace, name);
    long sum = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().equals(wanted)) {
        sum += value(c);
      }
    }
    return sum;
  }

  private static <T> T value(MetricResult<T> metric) {
    try {
      return metric.getCommitted();
    } catch (UnsupportedOperationException e) {
      // Some runners only report attempted values.
      return metric.getAttempted();
    }
  }
}
