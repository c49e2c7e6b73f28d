package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The options the job adds for a runner, and that the command line wins over them. */
class RunnerDefaultsTest {
  private static final String CORES =
      "--rangesPerFile=" + Runtime.getRuntime().availableProcessors();

  @Test
  void theDirectRunnerReadsOneRangePerCoreAndSkipsItsTestChecks() {
    List<String> args = Arrays.asList(RunnerDefaults.apply(new String[] {"--input=x"}));
    assertTrue(args.contains(CORES), args.toString());
    assertTrue(args.contains("--enforceImmutability=false"), args.toString());
    assertTrue(args.contains("--enforceEncodability=false"), args.toString());
  }

  @Test
  void aGivenValueIsKept() {
    List<String> args =
        Arrays.asList(
            RunnerDefaults.apply(new String[] {"--runner=DirectRunner", "--rangesPerFile=7"}));
    assertEquals(1, args.stream().filter(a -> a.startsWith("--rangesPerFile")).count());
    assertTrue(args.contains("--rangesPerFile=7"), args.toString());
  }

  @Test
  void flinkKeepsTheClusterRangesAndCopiesLess() {
    List<String> args = Arrays.asList(RunnerDefaults.apply(new String[] {"--runner=FlinkRunner"}));
    assertFalse(args.stream().anyMatch(a -> a.startsWith("--rangesPerFile")), args.toString());
    assertTrue(args.contains("--fasterCopy=true"), args.toString());
  }

  /** Embedded: batch on the DataStream API, with every step at the job's parallelism. */
  @Test
  void embeddedFlinkRunsBatchOnDataStreamsWithItsOwnConfiguration() throws IOException {
    Assumptions.assumeTrue(System.getenv("FLINK_CONF_DIR") == null, "FLINK_CONF_DIR is set");
    List<String> args =
        Arrays.asList(
            RunnerDefaults.apply(new String[] {"--runner=flink", "--flinkMaster=[local]"}));
    assertTrue(args.contains("--useDataStreamForBatch=true"), args.toString());
    List<String> dirs =
        args.stream().filter(a -> a.startsWith("--flinkConfDir=")).collect(Collectors.toList());
    assertEquals(1, dirs.size(), args.toString());
    Path conf = Path.of(dirs.get(0).substring("--flinkConfDir=".length()), "config.yaml");
    assertEquals(FlinkBatchConf.SETTINGS, Files.readString(conf));
  }

  /** On a cluster the DataSet translation stays: it recovers from a lost TaskManager sooner. */
  @Test
  void flinkOnAClusterKeepsTheDataSetTranslation() {
    List<String> args =
        Arrays.asList(
            RunnerDefaults.apply(
                new String[] {"--runner=FlinkRunner", "--flinkMaster=jobmanager:8081"}));
    assertFalse(
        args.stream().anyMatch(a -> a.startsWith("--useDataStreamForBatch")), args.toString());
    assertFalse(args.stream().anyMatch(a -> a.startsWith("--flinkConfDir")), args.toString());
  }

  @Test
  void aGivenFlinkConfigurationIsKept() {
    List<String> args =
        Arrays.asList(
            RunnerDefaults.apply(
                new String[] {
                  "--runner=FlinkRunner",
                  "--flinkMaster=[local]",
                  "--flinkConfDir=/etc/flink",
                  "--useDataStreamForBatch=false"
                }));
    assertEquals(1, args.stream().filter(a -> a.startsWith("--flinkConfDir")).count());
    assertTrue(args.contains("--flinkConfDir=/etc/flink"), args.toString());
    assertEquals(1, args.stream().filter(a -> a.startsWith("--useDataStreamForBatch")).count());
  }
}
