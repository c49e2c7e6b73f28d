package dev.beamattention.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The job's command line; see SPEC "Command line". {@code --streaming} (from {@link
 * StreamingOptions}) keeps watching {@code --input} for new files.
 */
public interface AttentionOptions extends PipelineOptions, StreamingOptions {
  @Description("Input sentences, JSON Lines: a file or glob (local, gs://, ...); .gz files too.")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("Output directory: contextual-*, attention-*, errors-*, weights.npz, run.json.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Weights file, .npz or .json (w_q, w_k, w_v; optional w_o, b_q, b_k, b_v, b_o). "
      + "Empty: random Xavier weights from --seed.")
  @Default.String("")
  String getWeights();

  void setWeights(String value);

  @Description("Number of attention heads h.")
  @Default.Integer(1)
  int getHeads();

  void setHeads(int value);

  // Lower-case getters after "get" give the options their SPEC names, --dK, --dV, --dModel.
  @Description("Width of a head's queries and keys for random weights; 0 means d_model / heads.")
  @Default.Integer(0)
  int getdK();

  void setdK(int value);

  @Description("Width of a head's values for random weights; 0 means d_model / heads.")
  @Default.Integer(0)
  int getdV();

  void setdV(int value);

  @Description("d_model for random weights; 0 reads it from the first sentence of the input.")
  @Default.Integer(0)
  int getdModel();

  void setdModel(int value);

  @Description("Seed of the random weights used when --weights is empty.")
  @Default.Long(42L)
  long getSeed();

  void setSeed(long value);

  @Description("Score scale: auto (1/sqrt(d_k)), none (1, the tutorial's numbers) or a positive number.")
  @Default.String("auto")
  String getScale();

  void setScale(String value);

  @Description("Causal mask: token r attends only to tokens 0..r.")
  @Default.Boolean(false)
  boolean getCausal();

  void setCausal(boolean value);

  @Description("Attention files: heads (every head), mean (the heads averaged) or none.")
  @Default.String("heads")
  String getAttention();

  void setAttention(String value);

  @Description("Lines longer than this many UTF-8 bytes become error records.")
  @Default.Integer(16 * 1024 * 1024)
  int getMaxLineBytes();

  void setMaxLineBytes(int value);

  @Description("Sentences with more tokens than this become error records.")
  @Default.Integer(4096)
  int getMaxTokens();

  void setMaxTokens(int value);

  @Description("Output shards per file kind; 0 lets the runner decide.")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  @Description("With --streaming: how often to look for new files matching --input (ISO-8601, e.g. PT10S).")
  @Default.String("PT10S")
  String getWatchInterval();

  void setWatchInterval(String value);

  @Description("With --streaming: stop once no new file has appeared for this long (ISO-8601); "
      + "empty: watch forever.")
  @Default.String("")
  String getStopAfterIdle();

  void setStopAfterIdle(String value);

  @Description("With --streaming: outputs are written per fixed window of this length (ISO-8601).")
  @Default.String("PT1M")
  String getWindow();

  void setWindow(String value);

  @Description("Draw the attention of this many sentences (those with the smallest ids) as SVG "
      + "heatmaps with an index.html under OUTPUT/heatmaps; 0 draws none.")
  @Default.Integer(0)
  int getHeatmaps();

  void setHeatmaps(int value);

  @Description("Word-vector table (GloVe text, or word2vec/fastText .vec text; .gz too): lines "
      + "without embeddings take their tokens' vectors from it.")
  @Default.String("")
  String getEmbeddings();

  void setEmbeddings(String value);

  @Description("How tokens meet the table: auto (side if the table is at most --sideInputMaxMb, "
      + "else shuffle), side (a side input on every worker) or shuffle (a join by token).")
  @Default.String("auto")
  String getEmbeddingJoin();

  void setEmbeddingJoin(String value);

  @Description("Tables up to this many MB (as files) go to workers as a side input under --embeddingJoin=auto.")
  @Default.Integer(256)
  int getSideInputMaxMb();

  void setSideInputMaxMb(int value);

  @Description("Tokens not in the table: error (the sentence becomes an error record), zero (a zero "
      + "vector) or skip (the token leaves the sentence).")
  @Default.String("error")
  String getOov();

  void setOov(String value);

  @Description("Look tokens up lowercased, for lowercased tables (outputs keep the tokens as given).")
  @Default.Boolean(false)
  boolean getLowercase();

  void setLowercase(boolean value);
}
