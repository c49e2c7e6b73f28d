package dev.beamattention.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink configuration folder for the job's batch runs on the DataStream API, given to the
 * FlinkRunner as {@code --flinkConfDir} when the command line names none.
 *
 * <p>Flink 1.19 schedules such a run with its adaptive batch scheduler, which picks each step's
 * parallelism from the bytes the step reads: the splittable reader gets a few hundred bytes of file
 * ranges, so it ran in one subtask and left the other core idle. With automatic parallelism off,
 * every step runs at {@code --parallelism}.
 *
 * <p>Managed memory (Flink's off-heap memory for sorting the inputs of keyed batch steps) is set to
 * 64 MB: the job's keyed steps carry little (file ranges, sentence ids, per-head sums; a larger
 * input is sorted on disk), and Flink's default for an embedded run took about half of the
 * process's resident set, which on a virtual machine costs first-touch faults. Measured in
 * pipelines/README.
 */
final class FlinkBatchConf {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkBatchConf.class);

  /** The settings written, as Flink's {@code config.yaml} takes them. */
  static final String SETTINGS =
      "execution.batch.adaptive.auto-parallelism.enabled: false\n"
          + "taskmanager.memory.managed.size: 64mb\n";

  private FlinkBatchConf() {}

  /**
   * A new folder under the temporary directory holding {@code config.yaml} with {@link #SETTINGS},
   * removed when the JVM exits; empty when it cannot be written (the run then goes on with Flink's
   * defaults: the same results, on fewer cores).
   */
  static Optional<Path> write() {
    try {
      Path dir = Files.createTempDirectory("beam-attention-flink-conf");
      Path file = dir.resolve("config.yaml");
      Files.write(file, SETTINGS.getBytes(StandardCharsets.UTF_8));
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit(); // deleted first: deleteOnExit runs in reverse order
      return Optional.of(dir);
    } catch (IOException | SecurityException e) {
      LOG.warn("cannot write a Flink configuration folder ({}); Flink picks its parallelism", e);
      return Optional.empty();
    }
  }
}
