package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.Sentence;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonLinesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void doublesParseBackToTheSameValue() throws Exception {
    Random random = new Random(11);
    double[] values = new double[2000];
    double[] edges = {
      0.0,
      -0.0,
      5e-324,
      -5e-324,
      2.2250738585072014E-308,
      1e308,
      Double.MAX_VALUE,
      Double.MIN_NORMAL,
      0.1,
      1.0 / 3,
      1e-7,
      123456789012345680.0,
      9007199254740993.0
    };
    System.arraycopy(edges, 0, values, 0, edges.length);
    for (int i = edges.length; i < values.length; i++) {
      values[i] =
          i % 2 == 0
              ? Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL)
              : random.nextGaussian();
    }
    AttendedSentence s =
        new AttendedSentence("r", new String[] {"t"}, new double[][] {values}, new double[0][][]);
    String line = JsonLines.contextual(s);
    assertFalse(line.contains("\n"));
    JsonNode row = JSON.readTree(line).get("output").get(0);
    for (int i = 0; i < values.length; i++) {
      double back = Double.parseDouble(row.get(i).asText());
      assertEquals(
          Double.doubleToRawLongBits(values[i]),
          Double.doubleToRawLongBits(back),
          "value " + values[i] + " came back as " + back);
    }
  }

  @Test
  void recordsHaveTheSpecFields() throws Exception {
    AttendedSentence s =
        new AttendedSentence(
            "s\"1", new String[] {"<a&b>"}, new double[][] {{1.5}}, new double[][][] {{{1.0}}});
    JsonNode contextual = JSON.readTree(JsonLines.contextual(s));
    assertEquals("s\"1", contextual.get("id").asText());
    assertEquals("<a&b>", contextual.get("tokens").get(0).asText());
    assertEquals(1.5, contextual.get("output").get(0).get(0).asDouble(), 0.0);
    JsonNode attention = JSON.readTree(JsonLines.attention(s));
    assertEquals(1.0, attention.get("weights").get(0).get(0).get(0).asDouble(), 0.0);

    JsonNode error =
        JSON.readTree(
            JsonLines.error(ErrorRecord.of(ErrorKind.MALFORMED, "bad", "{x", "in.jsonl")));
    assertEquals("bad", error.get("error").asText());
    assertEquals("{x", error.get("input").asText());
    assertEquals("in.jsonl", error.get("source").asText());
    assertFalse(
        JSON.readTree(JsonLines.error(ErrorRecord.withoutSource(ErrorKind.MALFORMED, "bad", "{x")))
            .has("source"));
  }

  @Test
  void errorRecordsCutTheInput() throws Exception {
    String longLine = "x".repeat(ErrorRecord.MAX_INPUT_CHARS + 50);
    JsonNode error =
        JSON.readTree(
            JsonLines.error(ErrorRecord.withoutSource(ErrorKind.TOO_LARGE, "too long", longLine)));
    assertEquals(ErrorRecord.MAX_INPUT_CHARS, error.get("input").asText().length());
  }

  @Test
  void aSentenceFormatsBackIntoAnInputLine() throws Exception {
    Sentence s = new Sentence("id", new String[] {"a", "b"}, new double[][] {{1, 2}, {3, 0.1}});
    Sentence back = new SentenceParser(0, 10).parse(JsonLines.sentence(s));
    assertEquals(s.id(), back.id());
    assertArrayEquals(s.embeddings(), back.embeddings());
  }
}
