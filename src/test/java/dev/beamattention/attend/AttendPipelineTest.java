package dev.beamattention.attend;

import dev.beamattention.core.AttentionResult;
import dev.beamattention.core.MultiHeadAttention;
import dev.beamattention.core.Scale;
import dev.beamattention.json.JsonLines;
import dev.beamattention.json.SentenceParser;
import dev.beamattention.read.ParseSentences;
import dev.beamattention.read.ReadSentences;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.KeptAttention;
import dev.beamattention.record.Sentence;
import dev.beamattention.testing.TestPipelineExtension;
import dev.beamattention.weights.RandomWeights;
import dev.beamattention.weights.WeightsSource;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ParseSentences and Attend on TestPipeline: main and dead-letter outputs. */
@ExtendWith(TestPipelineExtension.class)
class AttendPipelineTest {
  private static final WeightsSource WEIGHTS = WeightsSource.random(4, 2, 0, 0, 42);
  private static final String GOOD_1 =
      "{\"id\": \"g1\", \"tokens\": [\"a\", \"b\"], \"embeddings\": [[1, 0, 0, 1], [0, 1, 1, 0]]}";
  private static final String GOOD_2 =
      "{\"id\": \"g2\", \"tokens\": [\"c\"], \"embeddings\": [[0.5, -0.5, 2, 3]]}";
  private static final String NOT_JSON = "{\"id\": \"b1\", tokens";
  private static final String TOO_WIDE =
      "{\"id\": \"b2\", \"tokens\": [\"a\"], \"embeddings\": [[1, 2, 3, 4, 5]]}";
  private static final String HAS_NAN =
      "{\"id\": \"b3\", \"tokens\": [\"a\"], \"embeddings\": [[1, NaN, 3, 4]]}";

  private static PCollectionTuple parse(TestPipeline p, String... lines) {
    return p.apply("Lines", Create.of(List.of(lines)))
        .apply("ReadSentences", ParseSentences.create().withExpectedWidth(4).withMaxTokens(8));
  }

  @Test
  void everyNonBlankLineLandsInExactlyOneOutput(TestPipeline p) {
    PCollectionTuple parsed = parse(p, GOOD_1, "", NOT_JSON, GOOD_2, "   ", TOO_WIDE, HAS_NAN);
    PCollectionTuple attended =
        parsed.get(ReadSentences.SENTENCES).apply("Attend", Attend.with(WEIGHTS));

    PAssert.that(
            attended
                .get(Attend.ATTENDED)
                .apply(
                    "Ids", MapElements.into(TypeDescriptors.strings()).via(AttendedSentence::id)))
        .containsInAnyOrder("g1", "g2");
    PAssert.that(parsed.get(ErrorRecord.TAG))
        .containsInAnyOrder(
            ErrorRecord.withoutSource(
                ErrorKind.MALFORMED,
                "malformed JSON: Unexpected character ('t' (code 116)): was expecting double-quote to start field name",
                NOT_JSON),
            ErrorRecord.withoutSource(
                ErrorKind.WIDTH,
                "embeddings row 0 has 5 values, expected 4 (d_model of the weights)",
                TOO_WIDE),
            ErrorRecord.withoutSource(
                ErrorKind.NON_FINITE,
                "embeddings row 0 value 1 is NaN: values must be finite",
                HAS_NAN));
    PAssert.that(attended.get(ErrorRecord.TAG)).empty();
    p.run();
  }

  @Test
  void outputsAreTheCoresResults(TestPipeline p) throws Exception {
    MultiHeadAttention core =
        new MultiHeadAttention(RandomWeights.xavier(4, 2, 0, 0, 42), Scale.auto(), true);
    Sentence g1 = new SentenceParser(4, 8).parse(GOOD_1);
    AttentionResult r = core.apply(g1.embeddings());

    PCollectionTuple attended =
        parse(p, GOOD_1)
            .get(ReadSentences.SENTENCES)
            .apply("Attend", Attend.with(WEIGHTS).withCausal(true));

    PAssert.that(attended.get(Attend.ATTENDED))
        .containsInAnyOrder(
            new AttendedSentence("g1", g1.tokens(), r.outputRows(), r.weightRows()));
    PAssert.that(attended.get(ErrorRecord.TAG)).empty();
    p.run();
  }

  @Test
  void meanModeKeepsTheAveragedHead(TestPipeline p) throws Exception {
    MultiHeadAttention core =
        new MultiHeadAttention(RandomWeights.xavier(4, 2, 0, 0, 42), Scale.auto(), false);
    Sentence g1 = new SentenceParser(4, 8).parse(GOOD_1);
    AttentionResult r = core.apply(g1.embeddings());

    PCollectionTuple attended =
        parse(p, GOOD_1)
            .get(ReadSentences.SENTENCES)
            .apply("Attend", Attend.with(WEIGHTS).keeping(KeptAttention.MEAN));

    PAssert.that(attended.get(Attend.ATTENDED))
        .containsInAnyOrder(
            new AttendedSentence(
                "g1", g1.tokens(), r.outputRows(), new double[][][] {r.meanWeights()}));
    p.run();
  }

  @Test
  void aSentenceThatOverflowsBecomesAnErrorRecord(TestPipeline p) {
    Sentence huge =
        new Sentence("h", new String[] {"x"}, new double[][] {{1e300, 1e300, 1e300, 1e300}});
    Sentence fine = new Sentence("f", new String[] {"x"}, new double[][] {{1, 1, 1, 1}});
    PCollectionTuple attended =
        p.apply("Sentences", Create.of(huge, fine))
            .apply("Attend", Attend.with(WEIGHTS).withScale(Scale.none()));

    PAssert.that(
            attended
                .get(Attend.ATTENDED)
                .apply(
                    "Ids", MapElements.into(TypeDescriptors.strings()).via(AttendedSentence::id)))
        .containsInAnyOrder("f");
    PAssert.that(
            attended
                .get(ErrorRecord.TAG)
                .apply(
                    "Inputs", MapElements.into(TypeDescriptors.strings()).via(ErrorRecord::input)))
        .containsInAnyOrder(JsonLines.sentence(huge));
    p.run();
  }
}
