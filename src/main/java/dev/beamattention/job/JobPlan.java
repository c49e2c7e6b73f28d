package dev.beamattention.job;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.Limits;
import dev.beamattention.core.Scale;
import dev.beamattention.embed.EmbedSentences;
import dev.beamattention.embed.OovPolicy;
import dev.beamattention.embed.TableReader;
import dev.beamattention.files.InputFiles;
import dev.beamattention.files.LineReader;
import dev.beamattention.files.OutputCompression;
import dev.beamattention.read.InputPeek;
import dev.beamattention.record.KeptAttention;
import dev.beamattention.record.OutputPrecision;
import dev.beamattention.weights.WeightsLayout;
import dev.beamattention.weights.WeightsSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.joda.time.Duration;

/**
 * What the job settles before the pipeline runs, from its options: limits checked, the input
 * matched, the table sized, the weights read or drawn. Each unusable option becomes an {@link
 * IllegalArgumentException} with one line that names it.
 *
 * @param source where every worker loads the weights from
 * @param weights the weights, loaded once here to check them
 * @param table the word-vector table, with {@code --embeddings}
 * @param streaming how the input is watched, with {@code --streaming}
 * @param output the output folder, checked for an earlier run's outputs
 * @param progress whether a batch run reports its progress on stderr
 * @param inputBytes the input files' size, when no file is compressed
 * @param heatmapIds the ids --heatmapIds names, in order, without blanks
 * @param parquetInput whether the input files are Parquet rather than JSON Lines
 * @param parquetOutput whether the contextual and attention files are Parquet
 * @param precision how the contextual and attention numbers are written
 * @param compression how the JSON Lines outputs are compressed
 */
record JobPlan(
    WeightsSource source,
    AttentionParameters weights,
    Scale scale,
    KeptAttention kept,
    Optional<EmbedSentences.Lookup> table,
    Optional<Streaming> streaming,
    OutputFolder output,
    boolean progress,
    OptionalLong inputBytes,
    List<String> heatmapIds,
    boolean parquetInput,
    boolean parquetOutput,
    OutputPrecision precision,
    OutputCompression compression) {

  /** Lines read at most to find d_model in the input. */
  private static final int WIDTH_LINES = 1000;

  /** How a streaming job watches its input and windows its outputs. */
  record Streaming(Duration watchInterval, Optional<Duration> stopAfterIdle, Duration window) {}

  /**
   * Checks the options and loads the weights once.
   *
   * @throws IllegalArgumentException naming the first unusable option, an input glob that matches
   *     nothing, or weights that cannot be read or do not fit each other
   */
  static JobPlan of(AttentionOptions o) {
    checkLimits(o);
    Scale scale = scaleOf(o.getScale());
    KeptAttention kept =
        KeptAttention.named(o.getAttention())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--attention must be heads, mean or none, got '" + o.getAttention() + "'"));
    OutputPrecision precision =
        OutputPrecision.named(o.getOutputPrecision())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--outputPrecision must be float64 or float32, got '"
                            + o.getOutputPrecision()
                            + "'"));
    OutputCompression compression =
        OutputCompression.named(o.getCompression())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--compression must be none, gzip or zstd, got '"
                            + o.getCompression()
                            + "'"));
    List<String> heatmapIds = idsOf(o.getHeatmapIds());
    boolean drawing = o.getHeatmaps() > 0 || !heatmapIds.isEmpty();
    if (drawing && kept == KeptAttention.NONE) {
      throw new IllegalArgumentException(
          "--heatmaps draws attention weights: use --attention=heads or mean with it");
    }
    if (drawing && o.isStreaming()) {
      throw new IllegalArgumentException(
          "--heatmaps works in batch runs only, not with --streaming");
    }
    Optional<Streaming> streaming = streamingOf(o);
    boolean parquetInput = parquetInput(o);
    boolean parquetOutput = parquetOutput(o);
    try {
      List<MatchResult.Metadata> input = InputFiles.match(o.getInput());
      if (streaming.isEmpty() && input.isEmpty()) {
        throw new IllegalArgumentException("--input=" + o.getInput() + " matches no file");
      }
      OutputFolder.checkApart(o.getInput(), o.getOutput());
      OutputFolder output = OutputFolder.check(o.getOutput(), o.getOverwrite());
      Optional<EmbedSentences.Lookup> table = tableOf(o, streaming.isPresent());
      WeightsSource source = sourceOf(o, table, input, parquetInput);
      AttentionParameters weights = load(source, o.getWeights());
      if (table.isPresent() && table.get().dim() != weights.dModel()) {
        throw new IllegalArgumentException(
            "--embeddings has vectors of "
                + table.get().dim()
                + " values but the weights need d_model = "
                + weights.dModel());
      }
      return new JobPlan(
          source,
          weights,
          scale,
          kept,
          table,
          streaming,
          output,
          progressOf(o),
          parquetInput ? OptionalLong.empty() : sizeOf(input),
          heatmapIds,
          parquetInput,
          parquetOutput,
          precision,
          compression);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  // --inputFormat, or what the glob's name says.
  private static boolean parquetInput(AttentionOptions o) {
    String format = o.getInputFormat().trim().toLowerCase(java.util.Locale.ROOT);
    if (format.isEmpty()) {
      return o.getInput().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
    }
    if (!format.equals("jsonl") && !format.equals("parquet")) {
      throw new IllegalArgumentException(
          "--inputFormat must be jsonl or parquet, got '" + o.getInputFormat() + "'");
    }
    return format.equals("parquet");
  }

  private static boolean parquetOutput(AttentionOptions o) {
    String format = o.getOutputFormat().trim().toLowerCase(java.util.Locale.ROOT);
    if (!format.equals("jsonl") && !format.equals("parquet")) {
      throw new IllegalArgumentException(
          "--outputFormat must be jsonl or parquet, got '" + o.getOutputFormat() + "'");
    }
    return format.equals("parquet");
  }

  private static List<String> idsOf(String commaSeparated) {
    List<String> ids = new ArrayList<>();
    for (String id : commaSeparated.split(",")) {
      if (!id.isBlank()) {
        ids.add(id.trim());
      }
    }
    return List.copyOf(ids);
  }

  private static boolean progressOf(AttentionOptions o) {
    switch (o.getProgress().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on":
        return !o.isStreaming();
      case "off":
        return false;
      case "auto":
        return !o.isStreaming() && System.console() != null;
      default:
        throw new IllegalArgumentException(
            "--progress must be auto, on or off, got '" + o.getProgress() + "'");
    }
  }

  // The bytes read can be compared with the files' sizes only when none is decompressed.
  private static OptionalLong sizeOf(List<MatchResult.Metadata> input) {
    long bytes = 0;
    for (MatchResult.Metadata f : input) {
      if (InputFiles.isCompressed(f.resourceId())) {
        return OptionalLong.empty();
      }
      bytes += f.sizeBytes();
    }
    return OptionalLong.of(bytes);
  }

  private static void checkLimits(AttentionOptions o) {
    if (o.getHeads() != null) {
      requireAtLeast("--heads", o.getHeads(), 1);
    }
    requireAtLeast("--dK", o.getdK(), 0);
    requireAtLeast("--dV", o.getdV(), 0);
    requireAtLeast("--dModel", o.getdModel(), 0);
    requireAtMost("--dModel", o.getdModel(), Limits.MAX_D_MODEL);
    requireAtLeast("--maxLineBytes", o.getMaxLineBytes(), 1);
    requireAtLeast("--maxTokens", o.getMaxTokens(), 1);
    requireAtLeast("--rangesPerFile", o.getRangesPerFile(), 0);
    requireAtLeast("--maxAttentionCells", o.getMaxAttentionCells(), 1);
    requireAtMost("--maxAttentionCells", o.getMaxAttentionCells(), Limits.MAX_ATTENTION_CELLS);
    requireAtLeast("--numShards", o.getNumShards(), 0);
    requireAtLeast("--heatmaps", o.getHeatmaps(), 0);
    requireAtLeast("--headStatsTopPairs", o.getHeadStatsTopPairs(), 0);
    requireAtLeast("--sideInputMaxMb", o.getSideInputMaxMb(), 0);
    double share = o.getMaxErrorShare();
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException(
          "--maxErrorShare must be a share from 0 to 1, got " + share);
    }
  }

  private static Scale scaleOf(String text) {
    try {
      return Scale.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + e.getMessage());
    }
  }

  private static Optional<Streaming> streamingOf(AttentionOptions o) {
    if (!o.isStreaming()) {
      return Optional.empty();
    }
    Optional<Duration> idle =
        o.getStopAfterIdle().isEmpty()
            ? Optional.empty()
            : Optional.of(duration("--stopAfterIdle", o.getStopAfterIdle()));
    return Optional.of(
        new Streaming(
            duration("--watchInterval", o.getWatchInterval()),
            idle,
            duration("--window", o.getWindow())));
  }

  private static Optional<EmbedSentences.Lookup> tableOf(AttentionOptions o, boolean streaming)
      throws IOException {
    OovPolicy oov =
        OovPolicy.named(o.getOov())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--oov must be error, zero or skip, got '" + o.getOov() + "'"));
    String join = o.getEmbeddingJoin().trim().toLowerCase(java.util.Locale.ROOT);
    if (!join.equals("auto") && !join.equals("side") && !join.equals("shuffle")) {
      throw new IllegalArgumentException(
          "--embeddingJoin must be auto, side or shuffle, got '" + o.getEmbeddingJoin() + "'");
    }
    if (o.getEmbeddings().isEmpty()) {
      return Optional.empty();
    }
    if (join.equals("shuffle") && streaming) {
      throw new IllegalArgumentException(
          "--embeddingJoin=shuffle works in batch runs only; streaming takes the table as a side"
              + " input");
    }
    List<MatchResult.Metadata> files = InputFiles.match(o.getEmbeddings());
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--embeddings=" + o.getEmbeddings() + " matches no file");
    }
    long bytes = 0;
    for (MatchResult.Metadata f : files) {
      bytes += f.sizeBytes();
    }
    OptionalInt dim;
    try (LineReader lines =
        InputFiles.lines(files.get(0).resourceId(), Limits.MAX_TABLE_LINE_BYTES)) {
      dim = TableReader.width(lines);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--embeddings: " + files.get(0).resourceId() + ": " + e.getMessage(), e);
    }
    if (dim.isEmpty()) {
      throw new IllegalArgumentException(
          "--embeddings=" + o.getEmbeddings() + " has no row of a token and its values");
    }
    boolean small = bytes <= o.getSideInputMaxMb() * 1_000_000L;
    EmbedSentences.Join how =
        join.equals("side") || (join.equals("auto") && (small || streaming))
            ? EmbedSentences.Join.SIDE
            : EmbedSentences.Join.SHUFFLE;
    return Optional.of(
        new EmbedSentences.Lookup(o.getEmbeddings(), dim.getAsInt(), how, oov, o.getLowercase()));
  }

  // Without --weights, d_model comes from --dModel, the table, or the input's first sentence.
  private static WeightsSource sourceOf(
      AttentionOptions o,
      Optional<EmbedSentences.Lookup> table,
      List<MatchResult.Metadata> input,
      boolean parquetInput)
      throws IOException {
    WeightsLayout layout =
        WeightsLayout.named(o.getWeightsLayout())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--weightsLayout must be plain, torch-mha, bert or gpt2, got '"
                            + o.getWeightsLayout()
                            + "'"));
    boolean safetensors = WeightsSource.isSafetensors(o.getWeights());
    if (!safetensors && (layout != WeightsLayout.PLAIN || !o.getWeightsPrefix().isEmpty())) {
      throw new IllegalArgumentException(
          "--weightsLayout and --weightsPrefix read .safetensors weights: give --weights=FILE"
              + ".safetensors");
    }
    if (safetensors) {
      int heads = o.getHeads() == null ? 0 : o.getHeads();
      return WeightsSource.file(o.getWeights(), heads, layout, o.getWeightsPrefix());
    }
    int heads = o.getHeads() == null ? 1 : o.getHeads();
    if (!o.getWeights().isEmpty()) {
      return WeightsSource.file(o.getWeights(), heads);
    }
    int dModel;
    if (o.getdModel() > 0) {
      dModel = o.getdModel();
    } else if (table.isPresent()) {
      dModel = table.get().dim();
    } else if (input.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot tell d_model: --input="
              + o.getInput()
              + " matches no file yet; give --dModel or --weights");
    } else {
      dModel =
          (parquetInput
                  ? InputPeek.firstParquetWidth(input, o.getMaxTokens(), WIDTH_LINES)
                  : InputPeek.firstWidth(input, o.getMaxTokens(), o.getMaxLineBytes(), WIDTH_LINES))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "cannot tell d_model: no usable sentence in the first "
                              + WIDTH_LINES
                              + (parquetInput ? " rows" : " lines")
                              + " of --input; give --dModel or --weights"));
      if (dModel > Limits.MAX_D_MODEL) {
        throw new IllegalArgumentException(
            "the first sentence of --input is "
                + dModel
                + " values wide, more than the d_model of "
                + Limits.MAX_D_MODEL
                + " the job allows");
      }
    }
    return WeightsSource.random(dModel, heads, o.getdK(), o.getdV(), o.getSeed());
  }

  private static AttentionParameters load(WeightsSource source, String weightsOption) {
    String where = weightsOption.isEmpty() ? "" : "weights " + weightsOption + ": ";
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

  private static void requireAtMost(String name, long value, long max) {
    if (value > max) {
      throw new IllegalArgumentException(name + " must be at most " + max + ", got " + value);
    }
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }
}
