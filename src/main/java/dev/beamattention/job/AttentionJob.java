package dev.beamattention.job;

import dev.beamattention.attend.Attend;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.weights.WeightsFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job: read sentences, attend, write outputs, weights.npz and run.json. Exit status 0 when the
 * pipeline ran to its end, 1 when it failed, 2 for an unusable option, 3 when it ran but wrote no
 * sentence or refused too many.
 */
public final class AttentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(AttentionJob.class);

  /** Exit status: the pipeline ran to its end. */
  public static final int OK = 0;

  /** Exit status: the pipeline failed or ended in another state. */
  public static final int FAILED = 1;

  /** Exit status: an unusable option, input glob or weights file; nothing ran. */
  public static final int UNUSABLE = 2;

  /**
   * Exit status: the pipeline ran and wrote everything, but no sentence was written, or more than
   * {@code --maxErrorShare} of the sentences read became error records.
   */
  public static final int TOO_MANY_ERRORS = 3;

  private static final Pattern NOT_A_VALUE =
      Pattern.compile("Cannot deserialize value of type `([\\w.]+)` from String \"(.*?)\"");

  private static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar beam-attention.jar --input=GLOB --output=DIR [options]",
          "",
          "  Self-attention over every sentence of JSON Lines files; writes contextual vectors,",
          "  attention weights, error records, weights.npz and run.json under DIR.",
          "",
          "Examples:",
          "  java -jar target/beam-attention.jar --input='sample-data/corpus/*.jsonl.gz' \\",
          "      --output=out/corpus --heads=2",
          "  java -jar target/beam-attention.jar --input='corpus/*.jsonl' --weights=w.npz \\",
          "      --heads=4 --attention=mean --output=out/run1 --runner=FlinkRunner",
          "  java -jar target/beam-attention.jar --input='corpus/*.jsonl.zst' \\",
          "      --weights=model.safetensors --weightsLayout=bert --weightsPrefix=encoder.layer.0. \\",
          "      --heads=12 --outputPrecision=float32 --compression=zstd --output=out/run2",
          "",
          "Exit status: 0 done, 1 failed, 2 unusable option, 3 no sentence written or more than",
          "--maxErrorShare of them refused.",
          "");

  private AttentionJob() {}

  public static void main(String[] args) {
    int status = runMain(args, System.out, System.err);
    if (status != OK) {
      System.exit(status);
    }
  }

  /** main without System.exit: returns the exit status. */
  public static int runMain(String[] args, PrintStream out, PrintStream err) {
    PipelineOptionsFactory.register(AttentionOptions.class);
    if (Arrays.asList(args).contains("--help")) {
      out.println(USAGE);
      PipelineOptionsFactory.printHelp(out, AttentionOptions.class);
      return OK;
    }
    AttentionOptions options;
    JobPlan plan;
    try {
      options =
          PipelineOptionsFactory.fromArgs(RunnerDefaults.apply(args))
              .withValidation()
              .as(AttentionOptions.class);
      plan = JobPlan.of(options);
      // The runner checks its own options (Dataflow's project, region, locations) here, before
      // any work, rather than when the pipeline is submitted.
      PipelineRunner.fromOptions(options);
    } catch (IllegalArgumentException e) {
      err.println("beam-attention: " + namingTheOption(firstLine(e.getMessage()), args));
      return UNUSABLE;
    }
    if (Warmup.runsHere(args)) {
      Warmup.start(plan.weights(), plan.scale(), options.getCausal(), plan.precision());
    }
    try {
      Optional<RunManifest> manifest = run(options, plan, err);
      if (manifest.isEmpty()) {
        out.println("beam-attention: wrote a Dataflow template; nothing ran");
        return OK;
      }
      if (!manifest.get().done()) {
        err.println(
            "beam-attention: the pipeline ended "
                + manifest.get().state()
                + ", see run.json in "
                + options.getOutput());
        return FAILED;
      }
      RunManifest m = manifest.get();
      out.println("beam-attention: " + m.counts() + " in " + options.getOutput());
      return verdict(m, options, err);
    } catch (UnwritableOutput e) {
      err.println("beam-attention: " + firstLine(e.getMessage()));
      return UNUSABLE;
    } catch (IOException | RuntimeException e) {
      LOG.error("the pipeline failed", e);
      err.println(
          "beam-attention: the pipeline failed: " + FailureLine.of(e) + FailureLine.memoryHint(e));
      return FAILED;
    }
  }

  /**
   * Checks the options, runs the pipeline to its end and writes run.json.
   *
   * @return what run.json holds; empty when Dataflow wrote a template ({@code --templateLocation})
   *     and ran nothing
   * @throws IllegalArgumentException for an unusable option
   */
  public static Optional<RunManifest> run(AttentionOptions options) throws IOException {
    return run(options, JobPlan.of(options), System.err);
  }

  private static Optional<RunManifest> run(AttentionOptions options, JobPlan plan, PrintStream err)
      throws IOException {
    long start = System.nanoTime();
    Pipeline pipeline = Pipeline.create(options);
    JobGraph.build(pipeline, options, plan);
    plan.output().clearEarlierRun();
    writeWeights(plan, options.getOutput());
    PipelineResult result = pipeline.run();
    // The Dataflow runner's result for --templateLocation; matched by name, since the runner is
    // only on the class path of the dataflow build.
    if (result.getClass().getSimpleName().equals("DataflowTemplateJob")) {
      LOG.info("wrote a Dataflow template; nothing ran");
      return Optional.empty();
    }
    plan.streaming()
        .ifPresent(
            s ->
                err.println(
                    "beam-attention: watching "
                        + options.getInput()
                        + " every "
                        + s.watchInterval().getStandardSeconds()
                        + " s; outputs are written per window of "
                        + s.window().getStandardSeconds()
                        + " s"));
    if (plan.progress()) {
      try (Progress progress = Progress.every(5, result, plan.inputBytes(), err)) {
        result.waitUntilFinish();
      }
    } else {
      result.waitUntilFinish();
    }
    RunManifest manifest = RunManifest.of(result, options, plan, (System.nanoTime() - start) / 1e9);
    manifest.write(options.getOutput());
    return Optional.of(manifest);
  }

  /**
   * Builds the job's graph on {@code pipeline}, for the options; tests pass a TestPipeline.
   *
   * @return the attended sentences on {@link Attend#ATTENDED} and every stage's error records on
   *     {@link ErrorRecord#TAG}, as written
   * @throws IllegalArgumentException for an unusable option
   */
  public static PCollectionTuple buildPipeline(Pipeline pipeline, AttentionOptions options) {
    JobGraph.Outputs outputs = JobGraph.build(pipeline, options, JobPlan.of(options));
    return PCollectionTuple.of(Attend.ATTENDED, outputs.attended())
        .and(ErrorRecord.TAG, outputs.errors());
  }

  // weights.npz is the first file the job writes, before anything runs: a folder that cannot be
  // written is an unusable option, said in one line.
  private static void writeWeights(JobPlan plan, String directory) {
    ResourceId file =
        FileSystems.matchNewResource(directory, true)
            .resolve("weights.npz", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
      WeightsFiles.writeNpz(plan.weights(), out);
    } catch (IOException e) {
      String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new UnwritableOutput("cannot write into --output=" + directory + ": " + cause, e);
    }
  }

  /** The output folder cannot be written: exit 2, one line. */
  private static final class UnwritableOutput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnwritableOutput(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // The run is done; whether its outputs are worth having is the user's call, within a share.
  private static int verdict(RunManifest m, AttentionOptions options, PrintStream err) {
    RunManifest.Counts c = m.counts();
    if (c.errors() > 0) {
      err.println(
          "beam-attention: "
              + c.errors()
              + " of "
              + c.sentencesRead()
              + " sentences became error records (errors-*.jsonl in "
              + options.getOutput()
              + "):");
      m.errorsByReason().entrySet().stream()
          .sorted(Map.Entry.<ErrorKind, Long>comparingByValue().reversed())
          .limit(5)
          .forEach(
              e ->
                  err.println(
                      "  " + e.getValue() + " " + e.getKey().key() + ": " + explain(e.getKey())));
    }
    if (c.duplicateIds() > 0) {
      err.println(
          "beam-attention: warning: "
              + c.duplicateIds()
              + " sentences written share their id with another; ids no longer tell them apart");
    }
    if (c.sentencesWritten() == 0) {
      err.println("beam-attention: no sentence was written");
      return TOO_MANY_ERRORS;
    }
    double share = (double) c.errors() / Math.max(1, c.sentencesRead());
    if (share > options.getMaxErrorShare()) {
      err.println(
          String.format(
              Locale.ROOT,
              "beam-attention: %.1f%% of the sentences became error records, more than"
                  + " --maxErrorShare=%s",
              100 * share,
              options.getMaxErrorShare()));
      return TOO_MANY_ERRORS;
    }
    return OK;
  }

  private static String explain(ErrorKind kind) {
    switch (kind) {
      case MALFORMED:
        return "not valid UTF-8 or JSON, or not one JSON object";
      case INVALID:
        return "a field missing, empty or of the wrong type, or rows that do not match the tokens";
      case NON_FINITE:
        return "NaN or Infinity among the embeddings";
      case WIDTH:
        return "embeddings not as wide as the weights' d_model: are these the right weights?";
      case TOO_LARGE:
        return "more tokens than --maxTokens or bytes than --maxLineBytes";
      case UNKNOWN_TOKENS:
        return "tokens not in the word-vector table (see --oov and --lowercase)";
      case ATTENTION:
        return "the attention arithmetic overflowed";
      case BROKEN_FILE:
        return "a file that broke part way (truncated or corrupt); the lines before were read";
      default:
        return "a word-vector table's line";
    }
  }

  // Jackson's message for --heads=two names the type and the value but not the option.
  private static String namingTheOption(String message, String[] args) {
    Matcher m = NOT_A_VALUE.matcher(message);
    if (m.find()) {
      for (String arg : args) {
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0 && arg.substring(eq + 1).equals(m.group(2))) {
          String type =
              List.of("int", "long", "java.lang.Integer", "java.lang.Long").contains(m.group(1))
                  ? "a whole number"
                  : m.group(1);
          return arg.substring(0, eq) + " must be " + type + ", got '" + m.group(2) + "'";
        }
      }
    }
    return message;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
