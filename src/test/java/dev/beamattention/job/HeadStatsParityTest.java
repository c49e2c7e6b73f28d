package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * head-stats.json has the same bytes on the DirectRunner and the embedded FlinkRunner, with one or
 * two workers and any number of shards: the exact sums make bundle and merge order irrelevant.
 */
class HeadStatsParityTest {
  private static final String INPUT = "--input=src/test/resources/headstats/corpus.jsonl";
  private static final String WEIGHTS = "--weights=src/test/resources/headstats/weights.json";

  @Test
  void sameBitsOnEveryRunnerShardingAndParallelism(@TempDir Path tmp) throws IOException {
    byte[] direct = stats(tmp.resolve("direct"), "--runner=DirectRunner");
    assertTrue(direct.length > 0);
    byte[][] others = {
      stats(tmp.resolve("direct-1"), "--runner=DirectRunner", "--targetParallelism=1"),
      stats(tmp.resolve("direct-shards"), "--runner=DirectRunner", "--numShards=3"),
      stats(
          tmp.resolve("flink-1"),
          "--runner=FlinkRunner",
          "--flinkMaster=[local]",
          "--parallelism=1"),
      stats(
          tmp.resolve("flink-2"),
          "--runner=FlinkRunner",
          "--flinkMaster=[local]",
          "--parallelism=2",
          "--numShards=2"),
    };
    for (byte[] other : others) {
      assertArrayEquals(direct, other);
    }
  }

  private static byte[] stats(Path out, String... runner) throws IOException {
    String[] args = new String[runner.length + 5];
    args[0] = INPUT;
    args[1] = WEIGHTS;
    args[2] = "--heads=3";
    args[3] = "--headStats";
    args[4] = "--attention=mean";
    System.arraycopy(runner, 0, args, 5, runner.length);
    HeadStatsTest.run(out, args);
    return Files.readAllBytes(out.resolve("head-stats.json"));
  }
}
