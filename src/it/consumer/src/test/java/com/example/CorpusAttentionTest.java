package com.example;

import dev.beamattention.read.ParseSentences;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.testing.TestPipelineExtension;
import dev.beamattention.weights.WeightsSource;
import dev.beamattention.write.WriteOutputs;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class CorpusAttentionTest {
  static final String CAT =
      "{\"id\": \"cat\", \"tokens\": [\"the\", \"cat\"], \"embeddings\": [[1, 0, 0, 1], [0, 1, 1, 0]]}";
  static final String BROKEN = "{\"id\": \"broken\", \"tokens\"";

  @Test
  void attendsGoodLinesAndKeepsTheOthersAsErrors(TestPipeline p) {
    PCollectionTuple parsed = p.apply(Create.of(CAT, BROKEN)).apply(ParseSentences.create());
    PCollectionTuple out = CorpusAttention.attend(parsed, WeightsSource.random(4, 2, 0, 0, 42));

    PAssert.that(
            out.get(WriteOutputs.ATTENDED)
                .apply(MapElements.into(TypeDescriptors.strings()).via(AttendedSentence::id)))
        .containsInAnyOrder("cat");
    PAssert.that(
            out.get(ErrorRecord.TAG)
                .apply(
                    "Inputs", MapElements.into(TypeDescriptors.strings()).via(ErrorRecord::input)))
        .containsInAnyOrder(BROKEN);
    p.run();
  }
}
