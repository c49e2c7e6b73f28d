package dev.beamattention.job;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The model: its weights or a seed to draw them from, the heads, the scale and the mask. */
public interface WeightsOptions extends PipelineOptions {
  @Description(
      "Weights file, .npz or .json (w_q, w_k, w_v; optional w_o, b_q, b_k, b_v, b_o). "
          + "Empty: random Xavier weights from --seed.")
  @Default.String("")
  String getWeights();

  void setWeights(String value);

  @Description("Number of attention heads h.")
  @Default.Integer(1)
  int getHeads();

  void setHeads(int value);

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
