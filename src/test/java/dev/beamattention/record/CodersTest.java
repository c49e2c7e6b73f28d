package dev.beamattention.record;

import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class CodersTest {
  @Test
  void sentencesRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        SentenceCoder.of(),
        new Sentence(
            "s",
            new String[] {"a", "é", "😀"},
            new double[][] {{1, -0.0}, {5e-324, 1e308}, {3, 4}}));
    CoderProperties.coderDecodeEncodeEqual(
        SentenceCoder.of(), new Sentence("", new String[] {"x"}, new double[][] {{Math.PI}}));
  }

  @Test
  void attendedSentencesRoundTrip() throws Exception {
    double[][] out = {{1, 2, 3}, {4, 5, 6}};
    double[][][] weights = {{{0.5, 0.5}, {0.25, 0.75}}, {{1, 0}, {0, 1}}};
    CoderProperties.coderDecodeEncodeEqual(
        AttendedSentenceCoder.of(),
        new AttendedSentence("id", new String[] {"a", "b"}, out, weights));
    CoderProperties.coderDecodeEncodeEqual(
        AttendedSentenceCoder.of(),
        new AttendedSentence("id", new String[] {"a", "b"}, out, new double[0][][]));
  }

  @Test
  void pendingSentencesRoundTripWithAndWithoutTheirFile() throws Exception {
    PendingSentence p = new PendingSentence("id", new String[] {"a", "b"}, "{\"tokens\": [\"a\"]}");
    CoderProperties.coderDecodeEncodeEqual(PendingSentence.Coder.of(), p);
    CoderProperties.coderDecodeEncodeEqual(PendingSentence.Coder.of(), p.from("in/f.jsonl"));
  }

  @Test
  void errorRecordsRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        ErrorRecordCoder.of(), ErrorRecord.of(ErrorKind.WIDTH, "why", "{raw", "f.jsonl"));
    CoderProperties.coderDecodeEncodeEqual(
        ErrorRecordCoder.of(), ErrorRecord.withoutSource(ErrorKind.TABLE_LINE, "why", "{raw"));
  }
}
