package dev.beamattention.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.beamattention.core.AttentionWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.util.MimeTypes;

/** {@code run.json}: what a finished run read, wrote and rejected, with its options. */
final class RunManifest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunManifest() {}

  /** The manifest as a map, from the result's metrics (committed where the runner has them). */
  static Map<String, Object> of(
      PipelineResult result, AttentionOptions o, JobSetup setup, double seconds) {
    Map<String, Long> counters = new LinkedHashMap<>();
    DistributionResult lengths = DistributionResult.IDENTITY_ELEMENT;
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : metrics.getCounters()) {
      counters.merge(c.getName().getName(), value(c), Long::sum);
    }
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      if (d.getName().getName().equals("sentenceLength")) {
        lengths = value(d);
      }
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("sentencesRead", counters.getOrDefault("sentencesRead", 0L));
    counts.put("sentencesWritten", counters.getOrDefault("sentencesWritten", 0L));
    counts.put("errors", counters.getOrDefault("errorRecords", 0L));
    counts.put("tokens", counters.getOrDefault("tokens", 0L));
    counts.put("blankLines", counters.getOrDefault("blankLines", 0L));
    // Where the errors arose: unusable lines, and sentences the attention step refused.
    counts.put("malformedLines", counters.getOrDefault("malformedLines", 0L));
    counts.put("attentionFailures", counters.getOrDefault("attentionFailures", 0L));
    if (setup.table() != null) {
      counts.put("unknownTokens", counters.getOrDefault("unknownTokens", 0L));
      counts.put("tableRows", counters.getOrDefault("tableRows", 0L));
      counts.put("tableProblems", counters.getOrDefault("tableProblems", 0L));
    }

    Map<String, Object> length = new LinkedHashMap<>();
    length.put("count", lengths.getCount());
    length.put("min", lengths.getCount() == 0 ? 0 : lengths.getMin());
    length.put("max", lengths.getCount() == 0 ? 0 : lengths.getMax());
    length.put("mean", lengths.getCount() == 0 ? 0.0 : lengths.getMean());

    AttentionWeights w = setup.weights();
    Map<String, Object> weights = new LinkedHashMap<>();
    weights.put("source", setup.source().describe());
    weights.put("heads", w.heads());
    weights.put("dModel", w.dModel());
    weights.put("dK", w.dK());
    weights.put("dV", w.dV());
    weights.put("dOut", w.dOut());
    weights.put("outputProjection", w.hasOutputProjection());

    Map<String, Object> options = new LinkedHashMap<>();
    options.put("input", o.getInput());
    options.put("output", o.getOutput());
    options.put("weights", o.getWeights());
    options.put("heads", o.getHeads());
    options.put("dK", o.getdK());
    options.put("dV", o.getdV());
    options.put("dModel", o.getdModel());
    options.put("seed", o.getSeed());
    options.put("scale", setup.scale().toString());
    options.put("causal", o.getCausal());
    options.put("attention", setup.mode().name().toLowerCase(java.util.Locale.ROOT));
    options.put("maxLineBytes", o.getMaxLineBytes());
    options.put("maxTokens", o.getMaxTokens());
    options.put("numShards", o.getNumShards());
    options.put("heatmaps", o.getHeatmaps());
    options.put("embeddings", o.getEmbeddings());
    if (setup.table() != null) {
      options.put("embeddingJoin", setup.table().join().name().toLowerCase(java.util.Locale.ROOT));
      options.put("oov", setup.table().oov().name().toLowerCase(java.util.Locale.ROOT));
      options.put("lowercase", o.getLowercase());
    }
    options.put("streaming", o.isStreaming());

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("state", String.valueOf(result.getState()));
    manifest.put("runner", o.getRunner().getSimpleName());
    manifest.put("seconds", Math.round(seconds * 1000) / 1000.0);
    manifest.put("counts", counts);
    manifest.put("sentenceLength", length);
    manifest.put("weights", weights);
    manifest.put("options", options);
    return manifest;
  }

  /** Writes the manifest as {@code DIR/run.json}. */
  static void write(Map<String, Object> manifest, String directory) throws IOException {
    ResourceId file =
        FileSystems.matchNewResource(directory, true)
            .resolve("run.json", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
      JSON.writeValue(out, manifest);
    }
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
