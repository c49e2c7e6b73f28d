package dev.beamattention.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Options the job sets for a runner unless the command line does. The DirectRunner's immutability
 * and encodability checks are for tests (TestPipeline keeps them) and triple a job's run time;
 * Flink's fasterCopy skips copies between chained operators, safe because no DoFn here modifies its
 * input; embedded Flink runs batch jobs on its DataStream API, with a configuration folder from
 * {@link FlinkBatchConf} unless one is named. They are added to the arguments before parsing, since
 * which options exist depends on the runner.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  /** {@code args} with the defaults of the runner they name (the DirectRunner when none). */
  static String[] apply(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    String name = runnerName(args);
    if (name.equals("direct") || name.equals("directrunner")) {
      addUnlessGiven(all, "--enforceImmutability", "false");
      addUnlessGiven(all, "--enforceEncodability", "false");
      // run() returns at once, so progress can be read while the pipeline goes on.
      addUnlessGiven(all, "--blockOnRun", "false");
      // The DirectRunner reads every range in turn, 100 sentences a step, and holds each step's
      // sentences until later stages take them: the fewer ranges, the less in memory.
      addUnlessGiven(
          all, "--rangesPerFile", String.valueOf(Runtime.getRuntime().availableProcessors()));
    } else if (name.equals("flink") || name.equals("flinkrunner")) {
      addUnlessGiven(all, "--fasterCopy", "true");
      // Embedded, the DataStream translation chains a step with several outputs into the steps
      // that take them; the DataSet one sends every sentence through a serialized exchange there,
      // before attention and after it. Its scheduler needs the configuration below to use every
      // core. Not on a cluster: there a lost TaskManager cost it more than three restarts (the
      // DataSet translation needs up to two).
      if (flinkMaster(args).equals("[local]")) {
        addUnlessGiven(all, "--useDataStreamForBatch", "true");
        if (!given(all, "--flinkConfDir") && System.getenv("FLINK_CONF_DIR") == null) {
          FlinkBatchConf.write().ifPresent(dir -> all.add("--flinkConfDir=" + dir));
        }
      }
    }
    return all.toArray(new String[0]);
  }

  /**
   * The runner {@code args} name, lower case without its package ("directrunner", "flink", ...):
   * Beam also takes "direct", "Flink" and full class names.
   */
  static String runnerName(String[] args) {
    String runner =
        Arrays.stream(args)
            .filter(a -> a.startsWith("--runner="))
            .map(a -> a.substring("--runner=".length()))
            .findFirst()
            .orElse("DirectRunner");
    return runner.substring(runner.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
  }

  /** The Flink master the arguments name ({@code --flinkMaster}, the last one given), or [auto]. */
  static String flinkMaster(String[] args) {
    return Arrays.stream(args)
        .filter(a -> a.startsWith("--flinkMaster="))
        .map(a -> a.substring("--flinkMaster=".length()))
        .reduce((first, last) -> last)
        .orElse("[auto]");
  }

  private static void addUnlessGiven(List<String> args, String option, String value) {
    if (!given(args, option)) {
      args.add(option + "=" + value);
    }
  }

  private static boolean given(List<String> args, String option) {
    return args.stream().anyMatch(a -> a.equals(option) || a.startsWith(option + "="));
  }
}
