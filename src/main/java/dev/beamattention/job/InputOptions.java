package dev.beamattention.job;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** What the job reads: the sentences, and the limits on a line. */
public interface InputOptions extends PipelineOptions {
  @Description("Input sentences, JSON Lines: a file or glob (local, gs://, ...); .gz files too.")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description(
      "Input format: jsonl or parquet (columns id, tokens, embeddings); when not given, parquet"
          + " if the --input glob ends in .parquet, else jsonl.")
  @Default.String("")
  String getInputFormat();

  void setInputFormat(String value);

  @Description("Lines longer than this many UTF-8 bytes become error records.")
  @Default.Integer(16 * 1024 * 1024)
  int getMaxLineBytes();

  void setMaxLineBytes(int value);

  @Description(
      "Ranges each plain (uncompressed) input file is cut into for reading, each at least 1 MB;"
          + " 0: 16 of at most 64 MB, which spreads a file over a cluster's workers. On the"
          + " DirectRunner the job sets one per core unless given.")
  @Default.Integer(0)
  int getRangesPerFile();

  void setRangesPerFile(int value);

  @Description("Sentences with more tokens than this become error records.")
  @Default.Integer(4096)
  int getMaxTokens();

  void setMaxTokens(int value);

  @Description(
      "Sentences whose attention maps would hold more weights than this (tokens x tokens x heads)"
          + " become error records before any is computed.")
  @Default.Long(1L << 24)
  long getMaxAttentionCells();

  void setMaxAttentionCells(long value);
}
