package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.attend.Attend;
import dev.beamattention.files.OutputCompression;
import dev.beamattention.read.ParseSentences;
import dev.beamattention.read.ReadSentences;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.KeptAttention;
import dev.beamattention.record.OutputPrecision;
import dev.beamattention.testing.OutputFiles;
import dev.beamattention.testing.TestPipelineExtension;
import dev.beamattention.weights.WeightsSource;
import dev.beamattention.write.WriteOutputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sentences arriving over time (TestStream): attended as they come, outputs per window. */
@ExtendWith(TestPipelineExtension.class)
class StreamingTest {
  // On a minute boundary, where FixedWindows of a minute start.
  private static final Instant T0 = new Instant(1_699_999_980_000L);
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final WeightsSource WEIGHTS = WeightsSource.random(2, 1, 0, 0, 7);

  private static String good(String id) {
    return "{\"id\": \"" + id + "\", \"tokens\": [\"a\", \"b\"], \"embeddings\": [[1, 2], [3, 4]]}";
  }

  private static final String BAD = "{\"id\": \"bad\", \"tokens\": [\"a\"]}";

  private static TestStream<String> arrivals() {
    return TestStream.create(StringUtf8Coder.of())
        .addElements(
            TimestampedValue.of(good("first"), T0.plus(Duration.standardSeconds(5))),
            TimestampedValue.of(BAD, T0.plus(Duration.standardSeconds(20))))
        .advanceWatermarkTo(T0.plus(MINUTE).plus(Duration.standardSeconds(1)))
        .addElements(TimestampedValue.of(good("second"), T0.plus(Duration.standardSeconds(70))))
        .advanceWatermarkToInfinity();
  }

  private static PCollectionTuple attend(TestPipeline p) {
    PCollectionTuple parsed =
        p.apply("Arrivals", arrivals()).apply("ReadSentences", ParseSentences.create());
    PCollectionTuple attended =
        parsed.get(ReadSentences.SENTENCES).apply("Attend", Attend.with(WEIGHTS));
    return PCollectionTuple.of(Attend.ATTENDED, attended.get(Attend.ATTENDED))
        .and(ErrorRecord.TAG, parsed.get(ErrorRecord.TAG));
  }

  @Test
  void sentencesAndErrorsLandInTheirWindows(TestPipeline p) {
    PCollectionTuple out = attend(p);
    PCollection<String> ids =
        out.get(Attend.ATTENDED)
            .apply("Window", Window.into(FixedWindows.of(MINUTE)))
            .apply("Ids", MapElements.into(TypeDescriptors.strings()).via(AttendedSentence::id));
    PCollection<String> errors =
        out.get(ErrorRecord.TAG)
            .apply("WindowErrors", Window.into(FixedWindows.of(MINUTE)))
            .apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(ErrorRecord::reason));

    IntervalWindow first = new IntervalWindow(T0, MINUTE);
    IntervalWindow second = new IntervalWindow(T0.plus(MINUTE), MINUTE);
    PAssert.that(ids).inWindow(first).containsInAnyOrder("first");
    PAssert.that(ids).inWindow(second).containsInAnyOrder("second");
    PAssert.that(errors).inWindow(first).containsInAnyOrder("embeddings are missing");
    PAssert.that(errors).inWindow(second).empty();
    p.run();
  }

  @Test
  void windowedWritesMakeFilesPerWindow(TestPipeline p, @TempDir Path dir) throws IOException {
    attend(p)
        .apply(
            "WriteOutputs", WriteOutputs.to(dir.toString(), KeptAttention.MEAN).withWindow(MINUTE));
    p.run().waitUntilFinish();

    List<String> contextual = OutputFiles.lines(dir, "contextual");
    assertEquals(2, contextual.size(), contextual.toString());
    assertTrue(contextual.get(0).contains("\"first\""));
    assertTrue(contextual.get(1).contains("\"second\""));
    assertEquals(1, OutputFiles.lines(dir, "errors").size());
    long windowedFiles;
    try (var files = Files.list(dir)) {
      windowedFiles =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.startsWith("contextual-") && n.contains(T0.plus(MINUTE).toString()))
              .count();
    }
    assertTrue(windowedFiles >= 1, "file names carry their window's bounds");
  }

  @Test
  void windowedWritesCompressEveryFile(TestPipeline p, @TempDir Path dir) throws IOException {
    attend(p)
        .apply(
            "WriteOutputs",
            WriteOutputs.to(dir.toString(), KeptAttention.MEAN)
                .withWindow(MINUTE)
                .withCompression(OutputCompression.GZIP)
                .withPrecision(OutputPrecision.FLOAT32));
    p.run().waitUntilFinish();

    List<String> names;
    try (var files = Files.list(dir)) {
      // TextIO's own temporary folder (.temp-beam) aside.
      names =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .sorted()
              .toList();
    }
    List<String> contextual = new java.util.ArrayList<>();
    for (String name : names) {
      assertTrue(name.endsWith(".jsonl.gz"), name);
      if (name.startsWith("contextual-")) {
        try (var in = new GZIPInputStream(Files.newInputStream(dir.resolve(name)))) {
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(contextual::add);
        }
      }
    }
    contextual.sort(null);
    assertEquals(2, contextual.size(), names.toString());
    assertTrue(contextual.get(0).contains("\"first\""), contextual.get(0));
    assertTrue(names.stream().anyMatch(n -> n.startsWith("errors-")), names.toString());
  }
}
