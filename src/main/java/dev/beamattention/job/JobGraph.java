package dev.beamattention.job;

import dev.beamattention.attend.Attend;
import dev.beamattention.embed.EmbedSentences;
import dev.beamattention.heatmap.DrawHeatmaps;
import dev.beamattention.read.ParseSentences;
import dev.beamattention.read.ReadSentences;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.KeptAttention;
import dev.beamattention.record.Sentence;
import dev.beamattention.record.SentenceCoder;
import dev.beamattention.statistics.HeadStats;
import dev.beamattention.write.WriteOutputs;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The job's graph, stage after stage: read (and embed from a table), attend, write, draw, and
 * summarize the heads. The stages do not know each other; only here are one stage's outputs handed
 * to the next.
 */
final class JobGraph {
  private JobGraph() {}

  /** What the graph writes: the attended sentences and every stage's error records. */
  record Outputs(PCollection<AttendedSentence> attended, PCollection<ErrorRecord> errors) {}

  static Outputs build(Pipeline pipeline, AttentionOptions options, JobPlan plan) {
    ParseSentences parse =
        ParseSentences.create()
            .withExpectedWidth(plan.weights().dModel())
            .withMaxTokens(options.getMaxTokens())
            .withMaxLineBytes(options.getMaxLineBytes());
    if (plan.table().isPresent()) {
      parse = parse.withTableLookups();
    }
    ReadSentences read = ReadSentences.from(options.getInput(), parse);
    if (options.getRangesPerFile() > 0) {
      read = read.withRangesPerFile(options.getRangesPerFile());
    }
    if (plan.parquetInput()) {
      read = read.asParquet();
    }
    if (plan.streaming().isPresent()) {
      JobPlan.Streaming s = plan.streaming().get();
      read = read.watchingEvery(s.watchInterval(), s.stopAfterIdle());
    }
    PCollectionTuple parsed = pipeline.apply("ReadSentences", read);
    PCollectionList<Sentence> sentenceParts =
        PCollectionList.of(parsed.get(ReadSentences.SENTENCES));
    PCollectionList<ErrorRecord> errorParts = PCollectionList.of(parsed.get(ErrorRecord.TAG));
    PCollectionTuple toWrite = PCollectionTuple.empty(pipeline);
    if (plan.table().isPresent()) {
      PCollectionTuple embedded =
          parsed
              .get(ReadSentences.PENDING)
              .apply("EmbedSentences", EmbedSentences.with(plan.table().get()));
      sentenceParts = sentenceParts.and(embedded.get(EmbedSentences.EMBEDDED));
      errorParts = errorParts.and(embedded.get(ErrorRecord.TAG));
      toWrite = toWrite.and(WriteOutputs.TABLE_ERRORS, embedded.get(EmbedSentences.TABLE_ERRORS));
    }
    PCollection<Sentence> sentences =
        sentenceParts
            .apply("CollectSentences", Flatten.pCollections())
            .setCoder(SentenceCoder.of());
    Attend attend =
        Attend.with(plan.source())
            .withScale(plan.scale())
            .withCausal(options.getCausal())
            .keeping(plan.kept())
            .withMaxCells(options.getMaxAttentionCells());
    if (options.getHeadStats()) {
      attend = attend.withHeadWeights();
    }
    PCollectionTuple attended = sentences.apply("Attend", attend);
    PCollection<ErrorRecord> errors =
        errorParts
            .and(attended.get(ErrorRecord.TAG))
            .apply("CollectFailures", Flatten.pCollections());
    Outputs outputs = new Outputs(attended.get(Attend.ATTENDED), errors);

    WriteOutputs write =
        WriteOutputs.to(options.getOutput(), plan.kept())
            .withNumShards(options.getNumShards())
            .withPrecision(plan.precision())
            .withCompression(plan.compression());
    if (plan.parquetOutput()) {
      write = write.asParquet();
    }
    if (!options.getCheckDuplicateIds()) {
      write = write.withoutDuplicateIdCheck();
    }
    if (plan.streaming().isPresent()) {
      write = write.withWindow(plan.streaming().get().window());
    }
    toWrite
        .and(WriteOutputs.ATTENDED, outputs.attended())
        .and(ErrorRecord.TAG, outputs.errors())
        .apply("WriteOutputs", write);
    List<String> ids = plan.heatmapIds();
    if (options.getHeatmaps() > 0 || !ids.isEmpty()) {
      DrawHeatmaps draw =
          ids.isEmpty()
              ? DrawHeatmaps.smallestIds(options.getOutput(), options.getHeatmaps())
              : DrawHeatmaps.ofIds(options.getOutput(), ids);
      outputs
          .attended()
          .apply(
              "DrawHeatmaps",
              draw.withMean(plan.kept() == KeptAttention.MEAN).withCausal(options.getCausal()));
    }
    if (options.getHeadStats()) {
      HeadStats stats =
          HeadStats.to(options.getOutput())
              .withTopPairs(options.getHeadStatsTopPairs())
              .withCausal(options.getCausal());
      if (plan.streaming().isPresent()) {
        stats = stats.withWindow(plan.streaming().get().window());
      }
      attended.get(Attend.HEAD_WEIGHTS).apply("HeadStats", stats);
    }
    return outputs;
  }
}
