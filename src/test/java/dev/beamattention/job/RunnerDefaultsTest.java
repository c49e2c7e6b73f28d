package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
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
}
