package com.example;

import dev.beamattention.attend.Attend;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.Sentence;
import dev.beamattention.testing.TestPipelineExtension;
import dev.beamattention.weights.WeightsSource;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The complete test in TestPipelineExtension's Javadoc, compiled and run here. */
@ExtendWith(TestPipelineExtension.class)
class AttendTest {
  @Test
  void attendsEverySentence(TestPipeline p) {
    Sentence cat =
        new Sentence(
            "cat", new String[] {"the", "cat"}, new double[][] {{1, 0, 0, 1}, {0, 1, 1, 0}});
    PCollectionTuple out =
        p.apply(Create.of(cat)).apply(Attend.with(WeightsSource.random(4, 2, 0, 0, 42)));

    PAssert.that(
            out.get(Attend.ATTENDED)
                .apply(MapElements.into(TypeDescriptors.strings()).via(AttendedSentence::id)))
        .containsInAnyOrder("cat");
    PAssert.that(out.get(ErrorRecord.TAG)).empty();
    p.run();
  }
}
