package com.example;

import dev.beamattention.attend.Attend;
import dev.beamattention.read.ParseSentences;
import dev.beamattention.read.ReadSentences;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.KeptAttention;
import dev.beamattention.weights.WeightsSource;
import dev.beamattention.write.WriteOutputs;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/** Attention over a corpus of JSON Lines: java com.example.CorpusAttention GLOB WEIGHTS OUT_DIR. */
public class CorpusAttention {
  /** Parsed lines in; attended sentences and every error record out, as WriteOutputs takes them. */
  public static PCollectionTuple attend(PCollectionTuple parsed, WeightsSource weights) {
    PCollectionTuple attended =
        parsed.get(ReadSentences.SENTENCES).apply("Attend", Attend.with(weights));
    return PCollectionTuple.of(WriteOutputs.ATTENDED, attended.get(Attend.ATTENDED))
        .and(
            ErrorRecord.TAG,
            PCollectionList.of(parsed.get(ErrorRecord.TAG))
                .and(attended.get(ErrorRecord.TAG))
                .apply("Errors", Flatten.pCollections()));
  }

  public static void main(String[] args) {
    Pipeline p = Pipeline.create();
    PCollectionTuple parsed = p.apply(ReadSentences.from(args[0], ParseSentences.create()));
    attend(parsed, WeightsSource.file(args[1], 4))
        .apply(WriteOutputs.to(args[2], KeptAttention.MEAN));
    p.run().waitUntilFinish();
  }
}
