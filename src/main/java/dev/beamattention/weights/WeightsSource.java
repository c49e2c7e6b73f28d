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
    return new File(Objects.requireNonNull(path), heads);
  }

  /** Random weights, see {@link RandomWeights#xavier}. */
  static WeightsSource random(int dModel, int heads, int dK, int dV, long seed) {
    return new Seeded(dModel, heads, dK, dV, seed);
  }

  /** A {@code .npz} or {@code .json} weights file. */
  record File(String path, int heads) implements WeightsSource {
    @Override
    public AttentionParameters load() throws IOException {
      MatchResult.Metadata file = FileSystems.matchSingleFileSpec(path);
      ResourceId resource = file.resourceId();
      try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
        return WeightsFiles.read(in, resource.getFilename(), heads, file.sizeBytes());
      }
    }

    @Override
    public String describe() {
      return path;
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
