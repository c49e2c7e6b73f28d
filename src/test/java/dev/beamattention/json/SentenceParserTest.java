package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.Sentence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentenceParserTest {
  private final SentenceParser parser = new SentenceParser(0, 5);

  @Test
  void readsARecord() throws BadRecordException {
    Sentence s =
        parser.parse(
            "{\"id\": \"s-1\", \"extra\": {\"a\": [1]}, \"tokens\": [\"The\", \"cat\"],"
                + " \"embeddings\": [[0.1, -2], [3e-5, 1E2]]}");
    assertEquals("s-1", s.id());
    assertArrayEquals(new String[] {"The", "cat"}, s.tokens());
    assertArrayEquals(new double[][] {{0.1, -2}, {3e-5, 100}}, s.embeddings());
  }

  @Test
  void derivesAStableIdFromTheLine() throws BadRecordException {
    String line = "{\"tokens\": [\"a\"], \"embeddings\": [[1]]}";
    assertEquals(parser.parse(line).id(), parser.parse(line).id());
    assertEquals(SentenceParser.derivedId(line), parser.parse(line).id());
    assertEquals(23, parser.parse(line).id().length());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1, 2] | a record must be a JSON object",
        "{\"tokens\": [\"a\"], | malformed JSON: Unexpected end-of-input within/between Object entries",
        "{\"tokens\": [\"a\"]} | embeddings are missing",
        "{\"embeddings\": [[1]]} | tokens are missing",
        "{\"tokens\": [], \"embeddings\": [[1]]} | tokens is empty: a sentence needs at least one token",
        "{\"tokens\": \"a\", \"embeddings\": [[1]]} | tokens must be an array of strings, got a string",
        "{\"tokens\": [\"a\", 3], \"embeddings\": [[1]]} | tokens[1] is a number, not a string",
        "{\"id\": 7, \"tokens\": [\"a\"], \"embeddings\": [[1]]} | id must be a string, got a number",
        "{\"tokens\": [\"a\",\"b\"], \"embeddings\": [[1, 2], [3]]} | embeddings row 1 has 1 values, expected 2 (as row 0)",
        "{\"tokens\": [\"a\",\"b\"], \"embeddings\": [[1, 2]]} | embeddings has 1 rows but tokens has 2 entries: one row per token",
        "{\"tokens\": [\"a\"], \"embeddings\": [[1, NaN]]} | embeddings row 0 value 1 is NaN: values must be finite",
        "{\"tokens\": [\"a\"], \"embeddings\": [[-Infinity]]} | embeddings row 0 value 0 is -Infinity: values must be finite",
        "{\"tokens\": [\"a\"], \"embeddings\": [[1e400]]} | embeddings row 0 value 0 is 1e400: values must be finite",
        "{\"tokens\": [\"a\"], \"embeddings\": [[\"1\"]]} | embeddings row 0 value 0 is a string, not a number",
        "{\"tokens\": [\"a\"], \"embeddings\": [[]]} | embeddings rows are empty: d_model must be at least 1",
        "{\"tokens\": [\"a\"], \"embeddings\": [1]} | embeddings row 0 is a number, not an array",
        "{\"tokens\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"], \"embeddings\": [[1]]} | sentence has more than --maxTokens=5 tokens",
        "{\"tokens\": [\"a\"], \"tokens\": [\"b\"], \"embeddings\": [[1]]} | malformed JSON: Duplicate field 'tokens'",
        "{\"tokens\": [\"a\"], \"embeddings\": [[1]]} x | malformed JSON: Unrecognized token 'x': was expecting ...",
      })
  void saysWhatIsWrong(String line, String reason) {
    BadRecordException e = assertThrows(BadRecordException.class, () -> parser.parse(line));
    // "..." ends a reason whose tail is Jackson's wording, which changes between versions.
    if (reason.endsWith("...")) {
      String prefix = reason.substring(0, reason.length() - 3);
      assertEquals(
          prefix, e.getMessage().substring(0, Math.min(prefix.length(), e.getMessage().length())));
    } else {
      assertEquals(reason, e.getMessage());
    }
  }

  @Test
  void checksTheWidthTheWeightsNeed() {
    SentenceParser four = new SentenceParser(4, 10);
    BadRecordException e =
        assertThrows(
            BadRecordException.class,
            () -> four.parse("{\"tokens\": [\"a\"], \"embeddings\": [[1, 2, 3]]}"));
    assertEquals(
        "embeddings row 0 has 3 values, expected 4 (d_model of the weights)", e.getMessage());
  }
}
