package dev.beamattention.job;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** A word-vector table for sentences given as tokens only. */
public interface TableOptions extends PipelineOptions {
  @Description(
      "Word-vector table (GloVe text, or word2vec/fastText .vec text; .gz too): lines "
          + "without embeddings take their tokens' vectors from it.")
  @Default.String("")
  String getEmbeddings();

  void setEmbeddings(String value);

  @Description(
      "How tokens meet the table: auto (side if the table is at most --sideInputMaxMb, "
          + "else shuffle), side (a side input on every worker) or shuffle (a join by token).")
  @Default.String("auto")
  String getEmbeddingJoin();

  void setEmbeddingJoin(String value);

  @Description(
      "Tables up to this many MB (as files) go to workers as a side input under --embeddingJoin=auto.")
  @Default.Integer(256)
  int getSideInputMaxMb();

  void setSideInputMaxMb(int value);

  @Description(
      "Tokens not in the table: error (the sentence becomes an error record), zero (a zero "
          + "vector) or skip (the token leaves the sentence).")
  @Default.String("error")
  String getOov();

  void setOov(String value);

  @Description(
      "Look tokens up lowercased, for lowercased tables (outputs keep the tokens as given).")
  @Default.Boolean(false)
  boolean getLowercase();

  void setLowercase(boolean value);
}
