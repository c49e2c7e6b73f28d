package dev.beamattention.job;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The model: its weights or a seed to draw them from, the heads, the scale and the mask. */
public interface WeightsOptions extends PipelineOptions {
  @Description(
      "Weights file, .npz, .json or .safetensors (w_q, w_k, w_v; optional w_o, b_q, b_k, b_v,"
          + " b_o; or a model's block, see --weightsLayout). Empty: random Xavier weights from"
          + " --seed.")
  @Default.String("")
  String getWeights();

  void setWeights(String value);

  // No default: unset, a .safetensors file's metadata may say it; 1 otherwise.
  @Description(
      "Number of attention heads h; default 1, or what a .safetensors file's metadata says.")
  Integer getHeads();

  void setHeads(Integer value);

  @Description(
      "How a .safetensors file names the attention block: plain (w_q, w_k, ... as in .npz),"
          + " torch-mha (in_proj_weight, in_proj_bias, out_proj), bert"
          + " (attention.self.query/key/value, attention.output.dense) or gpt2 (attn.c_attn,"
          + " attn.c_proj).")
  @Default.String("plain")
  String getWeightsLayout();

  void setWeightsLayout(String value);

  @Description(
      "Put before every tensor name of a .safetensors file: the block's place in the model, such"
          + " as encoder.layer.0. (bert) or h.0. (gpt2).")
  @Default.String("")
  String getWeightsPrefix();

  void setWeightsPrefix(String value);

  // Lower-case getters after "get" give the options the option names --dK, --dV, --dModel.
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

  @Description(
      "Score scale: auto (1/sqrt(d_k)), none (1, the tutorial's numbers) or a positive number.")
  @Default.String("auto")
  String getScale();

  void setScale(String value);

  @Description("Causal mask: token r attends only to tokens 0..r.")
  @Default.Boolean(false)
  boolean getCausal();

  void setCausal(boolean value);
}
