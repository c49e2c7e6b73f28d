package dev.beamattention.pipeline;

import dev.beamattention.core.AttentionWeights;
import dev.beamattention.core.RandomWeights;
import dev.beamattention.core.WeightsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.Objects;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Where the weights come from: a file (any Beam file system) or a seed. Small and serializable,
 * so every worker loads the same weights itself in {@code @Setup}.
 */
public final class WeightsSource implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final int heads;
  private final int dModel;
  private final int dK;
  private final int dV;
  private final long seed;

  private WeightsSource(String path, int heads, int dModel, int dK, int dV, long seed) {
    this.path = path;
    this.heads = heads;
    this.dModel = dModel;
    this.dK = dK;
    this.dV = dV;
    this.seed = seed;
  }

  /** Weights read from a {@code .npz} or {@code .json} file, shared by {@code heads} heads. */
  public static WeightsSource file(String path, int heads) {
    return new WeightsSource(Objects.requireNonNull(path), heads, 0, 0, 0, 0);
  }

  /** Random weights, see {@link RandomWeights#xavier}. */
  public static WeightsSource random(int dModel, int heads, int dK, int dV, long seed) {
    return new WeightsSource(null, heads, dModel, dK, dV, seed);
  }

  /**
   * Reads or draws the weights.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the arrays do not fit each other
   */
  public AttentionWeights load() throws IOException {
    if (path == null) {
      return RandomWeights.xavier(dModel, heads, dK, dV, seed);
    }
    ResourceId resource = FileSystems.matchSingleFileSpec(path).resourceId();
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
      return WeightsFiles.read(in, resource.getFilename(), heads);
    }
  }

  /** Words for run.json and logs. */
  public String describe() {
    return path != null ? path : "random, seed " + seed;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof WeightsSource)) {
      return false;
    }
    WeightsSource w = (WeightsSource) o;
    return Objects.equals(path, w.path)
        && heads == w.heads
        && dModel == w.dModel
        && dK == w.dK
        && dV == w.dV
        && seed == w.seed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, heads, dModel, dK, dV, seed);
  }
}
