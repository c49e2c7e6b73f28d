package dev.beamattention.job;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** What the job writes: the folder, the attention kept, shards, heatmaps and head statistics. */
public interface OutputOptions extends PipelineOptions {
  @Description("Output directory: contextual-*, attention-*, errors-*, weights.npz, run.json.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Format of the contextual and attention files: jsonl or parquet (snappy-compressed); error"
          + " records are JSON Lines either way.")
  @Default.String("jsonl")
  String getOutputFormat();

  void setOutputFormat(String value);

  @Description("Attention files: heads (every head), mean (the heads averaged) or none.")
  @Default.String("heads")
  String getAttention();

  void setAttention(String value);

  @Description("Output shards per file kind; 0 lets the runner decide.")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  @Description(
      "Draw the attention of this many sentences (those with the smallest ids) as SVG "
          + "heatmaps with an index.html under OUTPUT/heatmaps; 0 draws none.")
  @Default.Integer(0)
  int getHeatmaps();

  void setHeatmaps(int value);

  @Description(
      "The run exits with status 3, after writing everything, when more than this share of the"
          + " sentences read became error records, or when no sentence was written.")
  @Default.Double(0.5)
  double getMaxErrorShare();

  void setMaxErrorShare(double value);

  @Description(
      "Replace the outputs of an earlier run in --output (every kind and shard, heatmaps, run.json,"
          + " weights.npz) instead of refusing the folder; other files there are left alone.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);

  @Description(
      "A progress line on stderr every few seconds (batch): auto (when the job runs in a"
          + " terminal), on or off.")
  @Default.String("auto")
  String getProgress();

  void setProgress(String value);

  @Description(
      "Write per-head statistics over the corpus (entropy, distance, self, previous, next, first,"
          + " top token pairs) to OUTPUT/head-stats.json and head-stats.html; per window when"
          + " streaming. Computed from every head's weights, whatever --attention keeps.")
  @Default.Boolean(false)
  boolean getHeadStats();

  void setHeadStats(boolean value);

  @Description("With --headStats: the token pairs of largest total weight kept per head.")
  @Default.Integer(20)
  int getHeadStatsTopPairs();

  void setHeadStatsTopPairs(int value);

  @Description(
      "Draw the attention of the sentences with these ids (comma-separated) as SVG heatmaps under"
          + " OUTPUT/heatmaps, instead of the --heatmaps smallest ids.")
  @Default.String("")
  String getHeatmapIds();

  void setHeatmapIds(String value);

  @Description(
      "Count the sentences written that share an id (run.json duplicateIds, a warning on stderr);"
          + " batch runs. It holds every id once in one worker's memory: turn it off for corpora"
          + " of tens of millions of sentences.")
  @Default.Boolean(true)
  boolean getCheckDuplicateIds();

  void setCheckDuplicateIds(boolean value);

  @Description(
      "Numbers of the contextual and attention records: float64 (every double exactly) or float32"
          + " (each value rounded to float, written as the shortest decimal that parses back to"
          + " that float: about half the bytes).")
  @Default.String("float64")
  String getOutputPrecision();

  void setOutputPrecision(String value);

  @Description(
      "Compression of the JSON Lines outputs: none, gzip (files end .jsonl.gz) or zstd"
          + " (.jsonl.zst).")
  @Default.String("none")
  String getCompression();

  void setCompression(String value);
}
