package dev.beamattention.pipeline;

import dev.beamattention.core.WeightsFiles;
import dev.beamattention.embeddings.EmbedSentences;
import dev.beamattention.embeddings.ReadEmbeddingTable;
import dev.beamattention.heatmap.DrawHeatmaps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job: read sentences, attend, write outputs, weights.npz and run.json. */
public final class AttentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(AttentionJob.class);

  private AttentionJob() {}

  public static void main(String[] args) {
    int status = runMain(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** main without System.exit: 0 when the pipeline ran, 2 for unusable options, 1 when it failed. */
  public static int runMain(String[] args, PrintStream out, PrintStream err) {
    PipelineOptionsFactory.register(AttentionOptions.class);
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(out, AttentionOptions.class);
      return 0;
    }
    AttentionOptions options;
    JobSetup setup;
    try {
      options =
          PipelineOptionsFactory.fromArgs(withRunnerDefaults(args))
              .withValidation()
              .as(AttentionOptions.class);
      setup = JobSetup.resolve(options);
      // The runner checks its own options (Dataflow's project, region, locations) here, before
      // any work, rather than when the pipeline is submitted.
      PipelineRunner.fromOptions(options);
    } catch (IllegalArgumentException e) {
      err.println("beam-attention: " + firstLine(e.getMessage()));
      return 2;
    }
    try {
      Map<String, Object> manifest = run(options, setup);
      Object state = manifest.get("state");
      if (!"DONE".equals(state) && !"TEMPLATE_CREATED".equals(state)) {
        err.println("beam-attention: the pipeline ended " + state + ", see run.json in " + options.getOutput());
        return 1;
      }
      out.println("beam-attention: " + manifest.get("counts") + " in " + options.getOutput());
      return 0;
    } catch (IOException | RuntimeException e) {
      LOG.error("the pipeline failed", e);
      err.println("beam-attention: the pipeline failed: " + firstLine(String.valueOf(e.getMessage())));
      return 1;
    }
  }

  /** Checks the options, runs the pipeline to its end, and returns what run.json holds. */
  public static Map<String, Object> run(AttentionOptions options) throws IOException {
    return run(options, JobSetup.resolve(options));
  }

  private static Map<String, Object> run(AttentionOptions options, JobSetup setup)
      throws IOException {
    long start = System.nanoTime();
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options, setup);
    writeWeights(setup, options.getOutput());
    PipelineResult result = pipeline.run();
    if (result.getClass().getSimpleName().equals("DataflowTemplateJob")) {
      // --templateLocation: Dataflow wrote a job spec and ran nothing, so there is no run.json.
      LOG.info("wrote a Dataflow template; nothing ran");
      return Map.of("state", "TEMPLATE_CREATED", "counts", Map.of());
    }
    result.waitUntilFinish();
    Map<String, Object> manifest =
        RunManifest.of(result, options, setup, (System.nanoTime() - start) / 1e9);
    RunManifest.write(manifest, options.getOutput());
    return manifest;
  }

  /** Builds the job's graph on {@code pipeline}, for the options; tests pass a TestPipeline. */
  public static PCollectionTuple buildPipeline(Pipeline pipeline, AttentionOptions options) {
    return buildPipeline(pipeline, options, JobSetup.resolve(options));
  }

  /**
   * As {@link #buildPipeline(Pipeline, AttentionOptions)} with the setup settled already.
   *
   * @return {@link Attend#ATTENDED} and every stage's {@link Failures#TAG}, as written
   */
  static PCollectionTuple buildPipeline(
      Pipeline pipeline, AttentionOptions options, JobSetup setup) {
    ParseSentences parse =
        ParseSentences.create()
            .withExpectedWidth(setup.weights().dModel())
            .withMaxTokens(options.getMaxTokens())
            .withMaxLineBytes(options.getMaxLineBytes());
    JobSetup.Table table = setup.table();
    if (table != null) {
      parse = parse.withTableLookups();
    }
    JobSetup.Streaming streaming = setup.streaming();
    PCollectionTuple parsed;
    if (streaming == null) {
      parsed = pipeline.apply("ReadSentences", ReadSentences.from(options.getInput(), parse));
    } else {
      // Watching for new files is TextIO's; lines then go through the same parsing.
      TextIO.Read read =
          TextIO.read()
              .from(options.getInput())
              .watchForNewFiles(
                  streaming.watchInterval(),
                  streaming.stopAfterIdle() == null
                      ? Watch.Growth.never()
                      : Watch.Growth.afterTimeSinceNewOutput(streaming.stopAfterIdle()));
      parsed = pipeline.apply("ReadLines", read).apply("ParseSentences", parse);
    }
    PCollectionList<Sentence> sentenceParts = PCollectionList.of(parsed.get(ParseSentences.SENTENCES));
    PCollectionList<Failure> failureParts = PCollectionList.of(parsed.get(Failures.TAG));
    if (table != null) {
      PCollectionTuple embedded =
          parsed
              .get(ParseSentences.PENDING)
              .apply(
                  "EmbedSentences",
                  new EmbedSentences(table.path(), table.dim(), table.join(), table.oov(), table.lowercase()));
      sentenceParts = sentenceParts.and(embedded.get(ParseSentences.SENTENCES));
      failureParts = failureParts.and(embedded.get(Failures.TAG));
      embedded
          .get(ReadEmbeddingTable.PROBLEMS)
          .apply(new JsonLinesSink<>(options.getOutput(), "table-errors", JsonLines.ERROR, null));
    }
    PCollection<Sentence> sentences =
        sentenceParts.apply("CollectSentences", Flatten.pCollections()).setCoder(SentenceCoder.of());
    PCollectionTuple attended =
        sentences.apply(
                "Attend",
                Attend.with(setup.source())
                    .withScale(setup.scale())
                    .withCausal(options.getCausal())
                    .withAttention(setup.mode()));
    PCollection<Failure> failures =
        failureParts.and(attended.get(Failures.TAG)).apply("CollectFailures", Flatten.pCollections());
    PCollectionTuple outputs =
        PCollectionTuple.of(Attend.ATTENDED, attended.get(Attend.ATTENDED))
            .and(Failures.TAG, failures);
    WriteOutputs write =
        WriteOutputs.to(options.getOutput(), setup.mode()).withNumShards(options.getNumShards());
    outputs.apply("WriteOutputs", streaming == null ? write : write.withWindow(streaming.window()));
    if (options.getHeatmaps() > 0) {
      outputs
          .get(Attend.ATTENDED)
          .apply(
              "DrawHeatmaps",
              new DrawHeatmaps(
                  options.getOutput(), options.getHeatmaps(), setup.mode() == AttentionMode.MEAN));
    }
    return outputs;
  }

  private static void writeWeights(JobSetup setup, String directory) throws IOException {
    ResourceId file =
        FileSystems.matchNewResource(directory, true)
            .resolve("weights.npz", StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out =
        Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
      WeightsFiles.writeNpz(setup.weights(), out);
    }
  }

  /**
   * Runner options the job sets unless the command line does. The DirectRunner's immutability
   * and encodability checks are for tests (TestPipeline keeps them) and triple a job's run time;
   * Flink's fasterCopy skips copies between chained operators, safe because no DoFn here
   * modifies its input.
   */
  static String[] withRunnerDefaults(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    String runner =
        all.stream()
            .filter(a -> a.startsWith("--runner="))
            .map(a -> a.substring("--runner=".length()))
            .findFirst()
            .orElse("DirectRunner");
    // Beam also takes "direct", "Flink", ... for the runners' names.
    String name = runner.substring(runner.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    if (name.equals("direct") || name.equals("directrunner")) {
      addUnlessGiven(all, "--enforceImmutability", "false");
      addUnlessGiven(all, "--enforceEncodability", "false");
    } else if (name.equals("flink") || name.equals("flinkrunner")) {
      addUnlessGiven(all, "--fasterCopy", "true");
    }
    return all.toArray(new String[0]);
  }

  private static void addUnlessGiven(List<String> args, String option, String value) {
    if (args.stream().noneMatch(a -> a.equals(option) || a.startsWith(option + "="))) {
      args.add(option + "=" + value);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
