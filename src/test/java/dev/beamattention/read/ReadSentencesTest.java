package dev.beamattention.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import dev.beamattention.testing.TestPipelineExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-range reader: whatever the ranges, every line is read exactly once and becomes what
 * ParseSentences makes of it, with its file named in error records.
 */
@ExtendWith(TestPipelineExtension.class)
class ReadSentencesTest {
  private static final ParseSentences PARSE =
      ParseSentences.create().withExpectedWidth(2).withMaxTokens(8).withMaxLineBytes(1000);

  @TempDir Path dir;

  /**
   * 251 lines (the DirectRunner pauses a reader every 100 records): good ones of varying length,
   * blank ones (one of Unicode spaces), CRLF endings, bad JSON, a line over --maxLineBytes, and no
   * final newline.
   */
  private static List<String> lines() {
    Random random = new Random(11);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      if (i % 37 == 5) {
        lines.add("");
      } else if (i % 41 == 7) {
        lines.add("{\"id\": \"bad" + i + "\", tokens");
      } else if (i == 99) {
        lines.add("{\"id\": \"long\", \"tokens\": [\"" + "x".repeat(1200) + "\"]}");
      } else {
        int n = 1 + random.nextInt(6);
        StringBuilder tokens = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        for (int t = 0; t < n; t++) {
          tokens.append(t > 0 ? "," : "").append("\"t").append(t).append('"');
          rows.append(t > 0 ? "," : "")
              .append('[')
              .append(random.nextDouble())
              .append(',')
              .append(-random.nextDouble())
              .append(']');
        }
        lines.add(
            "{\"id\":\"s" + i + "\",\"tokens\":[" + tokens + "],\"embeddings\":[" + rows + "]}");
      }
    }
    lines.add(125, "\u2003 \u3000"); // Unicode spaces only: blank, as String.isBlank says
    return lines;
  }

  private static byte[] file(List<String> lines) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      text.append(lines.get(i));
      if (i < lines.size() - 1) {
        text.append(i % 3 == 0 ? "\r\n" : "\n");
      }
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void expectParseSentencesResults(
      PCollectionTuple read, List<String> lines, String source) throws Exception {
    List<String> ids = new ArrayList<>();
    List<ErrorRecord> failures = new ArrayList<>();
    SentenceParser parser = new SentenceParser(2, 8);
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      if (line.length() > 1000) {
        failures.add(
            ErrorRecord.of(
                ErrorKind.TOO_LARGE,
                "line has " + line.length() + " bytes, more than --maxLineBytes=1000",
                line,
                source));
        continue;
      }
      try {
        ids.add(parser.parse(line).id());
      } catch (BadRecordException e) {
        failures.add(ErrorRecord.of(e.kind(), e.getMessage(), line, source));
      }
    }
    assertEquals(236, ids.size(), "fixture: good lines");
    assertEquals(7, failures.size(), "fixture: bad lines");
    PAssert.that(
            read.get(ReadSentences.SENTENCES)
                .apply(MapElements.into(TypeDescriptors.strings()).via(Sentence::id)))
        .containsInAnyOrder(ids);
    PAssert.that(read.get(ErrorRecord.TAG)).containsInAnyOrder(failures);
    PAssert.that(read.get(ReadSentences.PENDING)).empty();
  }

  @ParameterizedTest
  @ValueSource(longs = {50, 97, 1000, 1 << 20})
  void everyLineOnceWhateverTheRanges(long rangeBytes, TestPipeline p) throws Exception {
    List<String> lines = lines();
    Path input = dir.resolve("in.jsonl");
    Files.write(input, file(lines));
    PCollectionTuple read =
        p.apply(ReadSentences.from(input.toString(), PARSE).withRangeBytes(rangeBytes));
    expectParseSentencesResults(read, lines, input.toString());
    p.run();
  }

  @Test
  void everyLineOnceWhenTheFileIsCutIntoAGivenNumberOfRanges(TestPipeline p) throws Exception {
    // Over 3 MB, so that three ranges of at least 1 MB each are cut.
    List<String> ids = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 3500; i++) {
      String id = "s" + i + "-" + "p".repeat(900); // lines under --maxLineBytes=1000
      ids.add(id);
      text.append("{\"id\":\"")
          .append(id)
          .append("\",\"tokens\":[\"t\"],\"embeddings\":[[1,2]]}\n");
    }
    Path input = dir.resolve("three.jsonl");
    Files.write(input, text.toString().getBytes(StandardCharsets.UTF_8));
    PCollectionTuple read =
        p.apply(ReadSentences.from(input.toString(), PARSE).withRangesPerFile(3));
    PAssert.that(
            read.get(ReadSentences.SENTENCES)
                .apply(MapElements.into(TypeDescriptors.strings()).via(Sentence::id)))
        .containsInAnyOrder(ids);
    PAssert.that(read.get(ErrorRecord.TAG)).empty();
    p.run();
  }

  @Test
  void aGivenNumberOfRangesBelowOneIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReadSentences.from("in.jsonl", PARSE).withRangesPerFile(0));
    assertEquals("rangesPerFile must be at least 1, got 0", e.getMessage());
  }

  @Test
  void aLineLongerThanTheBufferIsSkippedWithoutHoldingIt(TestPipeline p) throws Exception {
    String good1 = "{\"id\":\"a\",\"tokens\":[\"x\"],\"embeddings\":[[1,2]]}";
    String good2 = "{\"id\":\"b\",\"tokens\":[\"y\"],\"embeddings\":[[3,4]]}";
    String huge = "{\"id\":\"" + "z".repeat(5 << 20) + "\"}";
    Path input = dir.resolve("huge.jsonl");
    Files.write(input, String.join("\n", good1, huge, good2).getBytes(StandardCharsets.UTF_8));
    PCollectionTuple read = p.apply(ReadSentences.from(input.toString(), PARSE));
    PAssert.that(
            read.get(ReadSentences.SENTENCES)
                .apply(MapElements.into(TypeDescriptors.strings()).via(Sentence::id)))
        .containsInAnyOrder("a", "b");
    PAssert.that(read.get(ErrorRecord.TAG))
        .containsInAnyOrder(
            ErrorRecord.of(
                ErrorKind.TOO_LARGE,
                "line has " + huge.length() + " bytes, more than --maxLineBytes=1000",
                huge.substring(0, ErrorRecord.MAX_INPUT_CHARS),
                input.toString()));
    p.run();
  }

  @Test
  void compressedFilesAreReadWhole(TestPipeline p) throws Exception {
    List<String> lines = lines();
    Path input = dir.resolve("in.jsonl.gz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(file(lines));
    }
    Files.write(input, bytes.toByteArray());
    PCollectionTuple read = p.apply(ReadSentences.from(input.toString(), PARSE).withRangeBytes(97));
    expectParseSentencesResults(read, lines, input.toString());
    p.run();
  }

  @Test
  void tokenOnlyLinesWaitForATable(TestPipeline p) throws IOException {
    Path input = dir.resolve("tokens.jsonl");
    String line = "{\"id\": \"t1\", \"tokens\": [\"a\", \"b\"]}";
    Files.write(input, (line + "\n").getBytes(StandardCharsets.UTF_8));
    PCollectionTuple read = p.apply(ReadSentences.from(input.toString(), PARSE.withTableLookups()));
    PAssert.that(read.get(ReadSentences.PENDING))
        .containsInAnyOrder(
            new PendingSentence("t1", new String[] {"a", "b"}, line).from(input.toString()));
    PAssert.that(read.get(ReadSentences.SENTENCES)).empty();
    PAssert.that(read.get(ErrorRecord.TAG)).empty();
    p.run();
  }
}
