package dev.beamattention.job;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Streaming: how the input folder is watched and outputs are windowed. */
public interface WatchOptions extends PipelineOptions {
  @Description(
      "With --streaming: how often to look for new files matching --input (ISO-8601, e.g. PT10S).")
  @Default.String("PT10S")
  String getWatchInterval();

  void setWatchInterval(String value);

  @Description(
      "With --streaming: stop once no new file has appeared for this long (ISO-8601); "
          + "empty: watch forever.")
  @Default.String("")
  String getStopAfterIdle();

  void setStopAfterIdle(String value);

  @Description("With --streaming: outputs are written per fixed window of this length (ISO-8601).")
  @Default.String("PT1M")
  String getWindow();

  void setWindow(String value);
}
