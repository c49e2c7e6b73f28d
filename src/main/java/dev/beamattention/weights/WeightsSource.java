package dev.beamattention.weights;

import dev.beamattention.core.AttentionParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.Objects;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Where the model's weights come from: a file on any Beam file system, or a seed. Small and
 * serializable, so every worker loads the same weights itself in {@code @Setup}.
 */
public sealed interface WeightsSource extends Serializable {
  /**
   * Reads or draws the weights.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the arrays do not fit each other
   */
  AttentionParameters load() throws IOException;

  /** Words for run.json and logs. */
  String describe();

  /** Weights read from a {@code .npz} or {@code .json} file, shared by {@code heads} heads. */
  static WeightsSource file(String path, int heads) {
    return new File(Objects.requireNonNull(path), heads, WeightsLayout.PLAIN, "");
  }

  /**
   * Weights read from a file; a {@code .safetensors} one in {@code layout}, its tensors' names
   * after {@code prefix}.
   *
   * @param heads the number of heads; 0 takes it from a {@code .safetensors} file's metadata
   */
  static WeightsSource file(String path, int heads, WeightsLayout layout, String prefix) {
    return new File(Objects.requireNonNull(path), heads, Objects.requireNonNull(layout), prefix);
  }

  /** Whether {@code path} names a {@code .safetensors} file, which layouts apply to. */
  static boolean isSafetensors(String path) {
    return path.toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors");
  }

  /** Random weights, see {@link RandomWeights#xavier}. */
  static WeightsSource random(int dModel, int heads, int dK, int dV, long seed) {
    return new Seeded(dModel, heads, dK, dV, seed);
  }

  /**
   * A {@code .npz}, {@code .json} or {@code .safetensors} weights file.
   *
   * @param heads 0: from the {@code .safetensors} file's metadata
   * @param layout how a {@code .safetensors} file names its tensors
   * @param prefix before every tensor name of a {@code .safetensors} file
   */
  record File(String path, int heads, WeightsLayout layout, String prefix)
      implements WeightsSource {
    @Override
    public AttentionParameters load() throws IOException {
      MatchResult.Metadata file = FileSystems.matchSingleFileSpec(path);
      ResourceId resource = file.resourceId();
      try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
        if (isSafetensors(resource.getFilename())) {
          return layout.read(in, file.sizeBytes(), prefix, heads);
        }
        return WeightsFiles.read(in, resource.getFilename(), heads, file.sizeBytes());
      }
    }

    @Override
    public String describe() {
      if (layout == WeightsLayout.PLAIN && prefix.isEmpty()) {
        return path;
      }
      return path + " (" + layout.lowerName() + (prefix.isEmpty() ? "" : ", " + prefix) + ")";
    }
  }

  /** Xavier-uniform weights drawn from a seed, see {@link RandomWeights#xavier}. */
  record Seeded(int dModel, int heads, int dK, int dV, long seed) implements WeightsSource {
    @Override
    public AttentionParameters load() {
      return RandomWeights.xavier(dModel, heads, dK, dV, seed);
    }

    @Override
    public String describe() {
      return "random, seed " + seed;
    }
  }
}
