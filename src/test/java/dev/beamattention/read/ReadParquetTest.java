package dev.beamattention.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.Sentence;
import dev.beamattention.testing.TestPipelineExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet files that pyarrow wrote (src/test/resources/parquet/make_parquet.py): read into the same
 * sentences as their JSON lines, bad rows into error records naming file and row, and a file that
 * cannot be read into one error record while the other files are read.
 */
@ExtendWith(TestPipelineExtension.class)
class ReadParquetTest {
  private static final Path FILES = Path.of("src/test/resources/parquet");
  private static final ParseSentences PARSE = ParseSentences.create().withExpectedWidth(8);

  /** The first {@code n} sentences of the sample corpus, as the JSON Lines reader parses them. */
  static List<Sentence> corpus(int n) throws Exception {
    SentenceParser parser = new SentenceParser(8, 4096);
    List<Sentence> sentences = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(Path.of("sample-data/corpus/sentences.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      for (int i = 0; i < n; i++) {
        sentences.add(parser.parse(r.readLine()));
      }
    }
    return sentences;
  }

  private static String file(String name) {
    return FILES.resolve(name).toAbsolutePath().toString();
  }

  @Test
  void pyarrowRowsAreTheSentencesOfTheirJsonLines(TestPipeline p) throws Exception {
    PCollectionTuple read =
        p.apply(ReadSentences.from(file("sentences.parquet"), PARSE).asParquet());
    PAssert.that(read.get(ReadSentences.SENTENCES)).containsInAnyOrder(corpus(60));
    PAssert.that(read.get(ErrorRecord.TAG)).empty();
    p.run();
  }

  @Test
  void floatEmbeddingsWidenExactly(TestPipeline p) throws Exception {
    List<String> expected = new ArrayList<>();
    for (Sentence s : corpus(10)) {
      StringBuilder text = new StringBuilder(String.join(" ", s.tokens()));
      for (double[] row : s.embeddings()) {
        for (double v : row) {
          text.append(' ').append((double) (float) v);
        }
      }
      expected.add(text.toString());
    }
    PCollectionTuple read =
        p.apply(ReadSentences.from(file("sentences-float32.parquet"), PARSE).asParquet());
    PAssert.that(
            read.get(ReadSentences.SENTENCES)
                .apply(MapElements.into(TypeDescriptors.strings()).via(ReadParquetTest::text)))
        .containsInAnyOrder(expected);
    p.run();
  }

  private static String text(Sentence s) {
    StringBuilder text = new StringBuilder(String.join(" ", s.tokens()));
    for (double[] row : s.embeddings()) {
      for (double v : row) {
        text.append(' ').append(v);
      }
    }
    return text.toString();
  }

  @Test
  void badRowsBecomeErrorRecordsNamingTheirRow(TestPipeline p) throws Exception {
    String source = file("bad-rows.parquet");
    PCollectionTuple read = p.apply(ReadSentences.from(source, PARSE).asParquet());
    List<String> goodIds = new ArrayList<>();
    for (Sentence s : corpus(2)) {
      goodIds.add(s.id());
    }
    PAssert.that(
            read.get(ReadSentences.SENTENCES)
                .apply("Ids", MapElements.into(TypeDescriptors.strings()).via(Sentence::id)))
        .satisfies(
            ids -> {
              List<String> sorted = new ArrayList<>();
              ids.forEach(sorted::add);
              java.util.Collections.sort(sorted);
              assertEquals(3, sorted.size());
              assertEquals(goodIds, sorted.subList(0, 2));
              // The third has no id: one derived from the row, as for a JSON line without one.
              assertEquals(true, sorted.get(2).startsWith("sha256-"), sorted.get(2));
              return null;
            });
    PAssert.that(
            read.get(ErrorRecord.TAG)
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(e -> e.kind().key() + " " + e.reason() + " @" + e.source().get())))
        .containsInAnyOrder(
            "invalid row 1: tokens are missing @" + source,
            "widthMismatch row 2: embeddings row 1 has 7 values, expected 8 (d_model of the"
                + " weights) @"
                + source,
            "nonFinite row 4: embeddings row 0 value 7 is NaN: values must be finite @" + source,
            "nonFinite row 5: embeddings row 0 value 0 is Infinity: values must be finite @"
                + source,
            "invalid row 6: embeddings has 1 rows but tokens has 2 entries: one row per token @"
                + source,
            "invalid row 7: tokens is empty: a sentence needs at least one token @" + source,
            "invalid row 8: tokens[1] is null, not a string @" + source,
            "invalid row 9: embeddings row 0 value 7 is null, not a number @" + source);
    p.run();
  }

  @Test
  void anUnreadableFileIsOneErrorRecordAndTheOthersAreRead(TestPipeline p, @TempDir Path dir)
      throws Exception {
    for (String name : List.of("sentences.parquet", "not-parquet.parquet", "wrong-types.parquet")) {
      Files.copy(FILES.resolve(name), dir.resolve(name));
    }
    PCollectionTuple read = p.apply(ReadSentences.from(dir + "/*.parquet", PARSE).asParquet());
    int cut = dir.toString().length() + 1;
    PAssert.that(read.get(ReadSentences.SENTENCES)).containsInAnyOrder(corpus(60));
    PAssert.that(
            read.get(ErrorRecord.TAG)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            e ->
                                e.kind().key()
                                    + " "
                                    + e.source().get().substring(cut)
                                    + " "
                                    + e.reason().substring(0, e.reason().indexOf(':', 14)))))
        .containsInAnyOrder(
            "malformed not-parquet.parquet Parquet file: not a readable Parquet file",
            "malformed wrong-types.parquet Parquet file: column tokens is list<long>, expected"
                + " list<string>");
    p.run();
  }

  @Test
  void theFirstUsableRowTellsTheWidth() throws IOException {
    List<org.apache.beam.sdk.io.fs.MatchResult.Metadata> files =
        dev.beamattention.files.InputFiles.match(FILES.toAbsolutePath() + "/*.parquet");
    assertEquals(
        java.util.OptionalInt.of(8), InputPeek.firstParquetWidth(files, 4096, 1000), "any order");
    assertEquals(
        ErrorKind.MALFORMED.key(), "malformed", "the kind an unreadable file's record carries");
  }
}
