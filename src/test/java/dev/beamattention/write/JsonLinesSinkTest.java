package dev.beamattention.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.files.OutputCompression;
import dev.beamattention.json.JsonLines;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.testing.OutputFiles;
import dev.beamattention.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class JsonLinesSinkTest {
  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void everyRecordLandsOnceInNumberedFiles(TestPipeline p, @TempDir Path dir) throws IOException {
    List<ErrorRecord> failures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      failures.add(ErrorRecord.withoutSource(ErrorKind.INVALID, "reason " + i, "line " + i));
    }
    p.apply(Create.of(failures))
        .apply(
            new JsonLinesSink<>(
                dir.toString(), "errors", JsonLines.ERROR, WriteOutputs.ERROR_RECORDS));
    p.run().waitUntilFinish();

    List<String> names = names(dir);
    assertTrue(!names.isEmpty());
    int shards = names.size();
    for (int i = 0; i < shards; i++) {
      assertEquals(String.format("errors-%05d-of-%05d.jsonl", i, shards), names.get(i));
    }
    List<String> lines = OutputFiles.lines(dir, "errors");
    List<String> expected = new ArrayList<>();
    for (ErrorRecord f : failures) {
      expected.add(JsonLines.error(f));
    }
    expected.sort(null);
    assertEquals(expected, lines);
  }

  @Test
  void aSecondRunIntoTheSameDirectoryReplacesTheFirstRunsShards(TestPipeline p, @TempDir Path dir)
      throws IOException {
    for (int stale = 0; stale < 7; stale++) {
      Files.writeString(dir.resolve(String.format("errors-%05d-of-00007.jsonl", stale)), "old\n");
    }
    Files.writeString(dir.resolve("contextual-00000-of-00001.jsonl"), "another kind stays\n");
    p.apply(Create.of(ErrorRecord.withoutSource(ErrorKind.INVALID, "new", "line")))
        .apply(
            new JsonLinesSink<>(
                dir.toString(), "errors", JsonLines.ERROR, WriteOutputs.ERROR_RECORDS));
    p.run().waitUntilFinish();

    assertEquals(
        List.of(JsonLines.error(ErrorRecord.withoutSource(ErrorKind.INVALID, "new", "line"))),
        OutputFiles.lines(dir, "errors"));
    assertEquals(List.of("another kind stays"), OutputFiles.lines(dir, "contextual"));
  }

  @Test
  void writesUtf8AndCutsInputsBetweenCharacters(TestPipeline p, @TempDir Path dir)
      throws IOException {
    String emoji = "\uD83D\uDE00";
    String longLine = "x".repeat(ErrorRecord.MAX_INPUT_CHARS - 1) + emoji + "tail";
    p.apply(Create.of(ErrorRecord.withoutSource(ErrorKind.INVALID, "caf\u00e9 " + emoji, longLine)))
        .apply(
            new JsonLinesSink<>(
                dir.toString(), "errors", JsonLines.ERROR, WriteOutputs.ERROR_RECORDS));
    p.run().waitUntilFinish();

    byte[] bytes = Files.readAllBytes(dir.resolve("errors-00000-of-00001.jsonl"));
    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{\"error\":\"caf\u00e9 " + emoji + "\""), text.substring(0, 40));
    com.fasterxml.jackson.databind.JsonNode record =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    assertEquals(
        "x".repeat(ErrorRecord.MAX_INPUT_CHARS - 1), record.get("input").asText(), "no half emoji");
  }

  @Test
  void anEmptyCollectionStillMakesOneEmptyFile(TestPipeline p, @TempDir Path dir)
      throws IOException {
    p.apply(Create.empty(TypeDescriptor.of(ErrorRecord.class)))
        .apply(
            new JsonLinesSink<>(
                dir.toString(), "errors", JsonLines.ERROR, WriteOutputs.ERROR_RECORDS));
    p.run().waitUntilFinish();

    assertEquals(List.of("errors-00000-of-00001.jsonl"), names(dir));
    assertEquals(0, Files.size(dir.resolve("errors-00000-of-00001.jsonl")));
  }

  @Test
  void severalPartsWriteEveryRecordIntoEachKindAndPassTheIdsOn(TestPipeline p, @TempDir Path dir)
      throws IOException {
    List<ErrorRecord> records = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      records.add(ErrorRecord.withoutSource(ErrorKind.INVALID, "reason " + i, "line " + i));
      reasons.add("reason " + i);
    }
    List<JsonLinesSink.Part<ErrorRecord>> parts =
        List.of(
            new JsonLinesSink.Part<>("first", JsonLines.ERROR, WriteOutputs.ERROR_RECORDS),
            new JsonLinesSink.Part<>("second", JsonLines.ERROR, WriteOutputs.TABLE_ERRORS_WRITTEN));
    PCollection<String> ids =
        p.apply(Create.of(records))
            .apply(
                new JsonLinesSink<>(dir.toString(), parts, OutputCompression.NONE)
                    .withIds(ErrorRecord::reason));
    PAssert.that(ids).containsInAnyOrder(reasons);
    p.run().waitUntilFinish();

    List<String> expected = new ArrayList<>();
    for (ErrorRecord r : records) {
      expected.add(JsonLines.error(r));
    }
    expected.sort(null);
    assertEquals(expected, OutputFiles.lines(dir, "first"));
    assertEquals(expected, OutputFiles.lines(dir, "second"));
    for (String name : names(dir)) {
      assertTrue(name.matches("(first|second)-\\d{5}-of-\\d{5}\\.jsonl"), name);
    }
  }
}
