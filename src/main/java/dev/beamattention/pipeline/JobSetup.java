package dev.beamattention.pipeline;

import dev.beamattention.core.AttentionWeights;
import dev.beamattention.core.Scale;
import dev.beamattention.embeddings.EmbedSentences;
import dev.beamattention.embeddings.OovPolicy;
import java.io.IOException;
import org.joda.time.Duration;

/**
 * What the job settles before the pipeline runs: options checked, input matched, weights read or
 * drawn. Each problem becomes an {@link IllegalArgumentException} with one line that names it.
 */
public final class JobSetup {
  private final WeightsSource source;
  private final AttentionWeights weights;
  private final Scale scale;
  private final AttentionMode mode;
  private final Streaming streaming;
  private final Table table;

  /** The word-vector table to look tokens up in; null without --embeddings. */
  public record Table(String path, int dim, EmbedSentences.Join join, OovPolicy oov, boolean lowercase) {}

  /** How a streaming job watches its input and windows its outputs; null for batch. */
  public record Streaming(Duration watchInterval, Duration stopAfterIdle, Duration window) {}

  private JobSetup(
      WeightsSource source,
      AttentionWeights weights,
      Scale scale,
      AttentionMode mode,
      Streaming streaming,
      Table table) {
    this.source = source;
    this.weights = weights;
    this.scale = scale;
    this.mode = mode;
    this.streaming = streaming;
    this.table = table;
  }

  /**
   * Checks the options and loads the weights once.
   *
   * @throws IllegalArgumentException naming the first unusable option, an input glob that matches
   *     nothing, or weights that cannot be read or do not fit each other
   */
  public static JobSetup resolve(AttentionOptions o) {
    requireAtLeast("--heads", o.getHeads(), 1);
    requireAtLeast("--dK", o.getdK(), 0);
    requireAtLeast("--dV", o.getdV(), 0);
    requireAtLeast("--dModel", o.getdModel(), 0);
    requireAtLeast("--maxLineBytes", o.getMaxLineBytes(), 1);
    requireAtLeast("--maxTokens", o.getMaxTokens(), 1);
    requireAtLeast("--numShards", o.getNumShards(), 0);
    Scale scale;
    try {
      scale = Scale.parse(o.getScale());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + e.getMessage());
    }
    AttentionMode mode = AttentionMode.parse(o.getAttention());
    requireAtLeast("--heatmaps", o.getHeatmaps(), 0);
    if (o.getHeatmaps() > 0 && mode == AttentionMode.NONE) {
      throw new IllegalArgumentException(
          "--heatmaps draws attention weights: use --attention=heads or mean with it");
    }
    if (o.getHeatmaps() > 0 && o.isStreaming()) {
      throw new IllegalArgumentException("--heatmaps works in batch runs only, not with --streaming");
    }
    Streaming streaming = streamingOf(o);
    try {
      if (streaming == null) {
        InputPeek.match(o.getInput());
      }
      Table table = tableOf(o, streaming != null);
      WeightsSource source;
      if (o.getWeights().isEmpty()) {
        int dModel =
            o.getdModel() > 0
                ? o.getdModel()
                : table != null ? table.dim() : InputPeek.firstWidth(o.getInput(), o.getMaxTokens());
        source = WeightsSource.random(dModel, o.getHeads(), o.getdK(), o.getdV(), o.getSeed());
      } else {
        source = WeightsSource.file(o.getWeights(), o.getHeads());
      }
      String where = o.getWeights().isEmpty() ? "" : "weights " + o.getWeights() + ": ";
      AttentionWeights weights = load(source, where);
      if (table != null && table.dim() != weights.dModel()) {
        throw new IllegalArgumentException(
            "--embeddings has vectors of " + table.dim() + " values but the weights need d_model = "
                + weights.dModel());
      }
      return new JobSetup(source, weights, scale, mode, streaming, table);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Streaming streamingOf(AttentionOptions o) {
    if (!o.isStreaming()) {
      return null;
    }
    Duration idle =
        o.getStopAfterIdle().isEmpty() ? null : duration("--stopAfterIdle", o.getStopAfterIdle());
    return new Streaming(
        duration("--watchInterval", o.getWatchInterval()), idle, duration("--window", o.getWindow()));
  }

  private static Table tableOf(AttentionOptions o, boolean streaming) throws IOException {
    OovPolicy oov = OovPolicy.parse(o.getOov());
    String join = o.getEmbeddingJoin().trim().toLowerCase(java.util.Locale.ROOT);
    if (!join.equals("auto") && !join.equals("side") && !join.equals("shuffle")) {
      throw new IllegalArgumentException(
          "--embeddingJoin must be auto, side or shuffle, got '" + o.getEmbeddingJoin() + "'");
    }
    requireAtLeast("--sideInputMaxMb", o.getSideInputMaxMb(), 0);
    if (o.getEmbeddings().isEmpty()) {
      return null;
    }
    if (join.equals("shuffle") && streaming) {
      throw new IllegalArgumentException(
          "--embeddingJoin=shuffle works in batch runs only; streaming takes the table as a side input");
    }
    InputPeek.TableShape shape = InputPeek.table(o.getEmbeddings());
    boolean small = shape.bytes() <= o.getSideInputMaxMb() * 1_000_000L;
    EmbedSentences.Join how =
        join.equals("side") || (join.equals("auto") && (small || streaming))
            ? EmbedSentences.Join.SIDE
            : EmbedSentences.Join.SHUFFLE;
    return new Table(o.getEmbeddings(), shape.dim(), how, oov, o.getLowercase());
  }

  private static AttentionWeights load(WeightsSource source, String where) {
    try {
      return source.load();
    } catch (IOException | IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static Duration duration(String name, String text) {
    Duration d;
    try {
      d = Duration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " must be an ISO-8601 duration such as PT10S or PT1M, got '" + text + "'");
    }
    if (d.getMillis() <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + text);
    }
    return d;
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }

  public WeightsSource source() {
    return source;
  }

  /** The weights every worker will load from {@link #source()}. */
  public AttentionWeights weights() {
    return weights;
  }

  public Scale scale() {
    return scale;
  }

  public AttentionMode mode() {
    return mode;
  }

  /** The word-vector table, or null. */
  public Table table() {
    return table;
  }

  /** The streaming settings, or null for a batch job. */
  public Streaming streaming() {
    return streaming;
  }
}
