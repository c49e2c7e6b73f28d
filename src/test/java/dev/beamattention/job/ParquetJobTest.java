package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.parquet.BeamInputFile;
import dev.beamattention.testing.OutputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.parquet.hadoop.ParquetReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job with Parquet in and out: the same corpus as JSON Lines and as Parquet (pyarrow wrote it)
 * gives the same doubles, bit for bit, in JSON Lines and in Parquet outputs, on the DirectRunner
 * and the embedded FlinkRunner; unreadable rows and files are counted like bad lines.
 */
class ParquetJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FILES = Path.of("src/test/resources/parquet");

  @TempDir Path dir;

  private Path jsonlCorpus() throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(Path.of("sample-data/corpus/sentences.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      for (int i = 0; i < 60; i++) {
        lines.add(r.readLine());
      }
    }
    Path input = dir.resolve("in/sentences.jsonl");
    Files.createDirectories(input.getParent());
    Files.write(input, lines);
    return input;
  }

  /** id -> field of every {@code KIND-*.jsonl} record, as nested lists of doubles. */
  private static Map<String, Object> jsonl(Path out, String kind, String field) throws IOException {
    Map<String, Object> byId = new TreeMap<>();
    for (String line : OutputFiles.lines(out, kind)) {
      JsonNode r = JSON.readTree(line);
      byId.put(r.get("id").asText(), JSON.convertValue(r.get(field), Object.class));
      assertTrue(r.get("tokens").isArray());
    }
    return byId;
  }

  /** id -> field of every row of every {@code KIND-*.parquet} file, read with parquet-avro. */
  static Map<String, Object> parquet(Path out, String kind, String field) throws IOException {
    Map<String, Object> byId = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> all = Files.list(out)) {
      files =
          all.filter(
                  f ->
                      f.getFileName().toString().startsWith(kind + "-")
                          && f.getFileName().toString().endsWith(".parquet"))
              .toList();
    }
    assertFalse(files.isEmpty(), "no " + kind + "-*.parquet in " + out);
    for (Path f : files) {
      try (ParquetReader<GenericRecord> reader =
          BeamInputFile.rows(FileSystems.matchNewResource(f.toString(), false), Files.size(f))) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          assertEquals(List.of("id", "tokens", field), names(r));
          byId.put(
              r.get("id").toString(),
              JSON.convertValue(JSON.valueToTree(plain(r.get(field))), Object.class));
        }
      }
    }
    return byId;
  }

  private static List<String> names(GenericRecord r) {
    List<String> names = new ArrayList<>();
    r.getSchema().getFields().forEach(f -> names.add(f.name()));
    return names;
  }

  // Avro's lists as plain lists, so that Jackson gives the same tree as for the JSON outputs.
  private static Object plain(Object value) {
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(plain(v)));
      return out;
    }
    return value;
  }

  private static JsonNode counts(Path out) throws IOException {
    return JSON.readTree(out.resolve("run.json").toFile()).get("counts");
  }

  @Test
  void jsonLinesAndParquetGiveTheSameNumbersOnDirectAndFlink() throws IOException {
    Path jsonlIn = jsonlCorpus();
    Path parquetIn = FILES.resolve("sentences.parquet").toAbsolutePath();
    Path a = dir.resolve("jsonl-jsonl");
    Path b = dir.resolve("parquet-parquet");
    Path c = dir.resolve("parquet-parquet-flink");
    Path d = dir.resolve("jsonl-parquet-shards");
    OutputFiles.JobRun ra = OutputFiles.runJob("--input=" + jsonlIn, "--output=" + a, "--heads=2");
    OutputFiles.JobRun rb =
        OutputFiles.runJob(
            "--input=" + parquetIn, "--output=" + b, "--heads=2", "--outputFormat=parquet");
    OutputFiles.JobRun rc =
        OutputFiles.runJob(
            "--input=" + parquetIn,
            "--output=" + c,
            "--heads=2",
            "--outputFormat=parquet",
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2");
    OutputFiles.JobRun rd =
        OutputFiles.runJob(
            "--input=" + jsonlIn,
            "--output=" + d,
            "--heads=2",
            "--outputFormat=parquet",
            "--attention=mean",
            "--numShards=3");
    for (OutputFiles.JobRun r : List.of(ra, rb, rc, rd)) {
      assertEquals(0, r.status(), r.err());
    }
    Map<String, Object> contextual = jsonl(a, "contextual", "output");
    Map<String, Object> attention = jsonl(a, "attention", "weights");
    assertEquals(60, contextual.size());
    for (Path p : List.of(b, c, d)) {
      assertEquals(contextual, parquet(p, "contextual", "output"), p + ": contextual");
      assertEquals(counts(a), counts(p), p + ": counts");
    }
    assertEquals(attention, parquet(b, "attention", "weights"));
    assertEquals(attention, parquet(c, "attention", "weights"));
    assertEquals(3, OutputFiles.count(d, "contextual-", ".parquet"), "--numShards=3");
    // --attention=mean keeps one map of n x n per sentence.
    for (Object maps : parquet(d, "attention", "weights").values()) {
      assertEquals(1, ((List<?>) maps).size());
    }
    JsonNode options = JSON.readTree(b.resolve("run.json").toFile()).get("options");
    assertEquals("parquet", options.get("inputFormat").asText());
    assertEquals("parquet", options.get("outputFormat").asText());
    assertFalse(JSON.readTree(a.resolve("run.json").toFile()).get("options").has("inputFormat"));
    assertEquals(List.of(), OutputFiles.lines(b, "errors"));
    assertArrayEquals(new String[0], leftovers(b), "FileIO's temporary folders are gone");
  }

  @Test
  void float32AndZstdGiveParquetFloatsInZstdColumns() throws IOException {
    Path jsonlIn = jsonlCorpus();
    Path a = dir.resolve("float64");
    Path b = dir.resolve("float32-zstd");
    assertEquals(
        0, OutputFiles.runJob("--input=" + jsonlIn, "--output=" + a, "--heads=2").status());
    OutputFiles.JobRun rb =
        OutputFiles.runJob(
            "--input=" + jsonlIn,
            "--output=" + b,
            "--heads=2",
            "--outputFormat=parquet",
            "--outputPrecision=float32",
            "--compression=zstd");
    assertEquals(0, rb.status(), rb.err());
    Map<String, Object> exact = jsonl(a, "contextual", "output");
    Map<String, Object> floats = parquet(b, "contextual", "output");
    assertEquals(exact.keySet(), floats.keySet());
    for (String id : exact.keySet()) {
      List<Double> want = flat(exact.get(id));
      List<Double> got = flat(floats.get(id));
      assertEquals(want.size(), got.size(), id);
      for (int i = 0; i < want.size(); i++) {
        // Each value is the float nearest the double: the same float, read back.
        assertEquals(
            (float) want.get(i).doubleValue(), got.get(i).floatValue(), id + " value " + i);
      }
    }
    try (Stream<Path> all = Files.list(b)) {
      for (Path f : all.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (org.apache.parquet.hadoop.ParquetFileReader reader =
            org.apache.parquet.hadoop.ParquetFileReader.open(
                new BeamInputFile(
                    FileSystems.matchNewResource(f.toString(), false), Files.size(f)))) {
          var column = reader.getFooter().getBlocks().get(0).getColumns().get(2);
          assertEquals("ZSTD", column.getCodec().name(), f.toString());
          assertEquals(
              "FLOAT", column.getPrimitiveType().getPrimitiveTypeName().name(), f.toString());
        }
      }
    }
  }

  private static List<Double> flat(Object nested) {
    List<Double> out = new ArrayList<>();
    if (nested instanceof List<?> list) {
      list.forEach(v -> out.addAll(flat(v)));
    } else {
      out.add(((Number) nested).doubleValue());
    }
    return out;
  }

  private static String[] leftovers(Path out) throws IOException {
    try (Stream<Path> all = Files.list(out)) {
      return all.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("."))
          .toArray(String[]::new);
    }
  }

  @Test
  void badRowsAndUnreadableFilesAreCountedAsBadLines() throws IOException {
    Path in = dir.resolve("bad");
    Files.createDirectories(in);
    for (String name : List.of("bad-rows.parquet", "not-parquet.parquet", "wrong-types.parquet")) {
      Files.copy(FILES.resolve(name), in.resolve(name));
    }
    Path out = dir.resolve("out");
    OutputFiles.JobRun r =
        OutputFiles.runJob(
            "--input=" + in + "/*.parquet",
            "--output=" + out,
            "--heads=2",
            "--dModel=8",
            "--outputFormat=parquet",
            "--maxErrorShare=1");
    assertEquals(0, r.status(), r.err());
    JsonNode counts = counts(out);
    assertEquals(13, counts.get("sentencesRead").asInt());
    assertEquals(3, counts.get("sentencesWritten").asInt());
    assertEquals(10, counts.get("errors").asInt());
    assertEquals(9, counts.get("malformedLines").asInt());
    assertEquals(1, counts.get("widthMismatches").asInt());
    List<String> errors = OutputFiles.lines(out, "errors");
    assertEquals(10, errors.size());
    for (String line : errors) {
      JsonNode e = JSON.readTree(line);
      assertTrue(e.get("source").asText().endsWith(".parquet"), line);
      String reason = e.get("error").asText();
      assertTrue(reason.startsWith("row ") || reason.startsWith("Parquet file: "), reason);
    }
    assertEquals(3, parquet(out, "contextual", "output").size());
  }

  @Test
  void earlierParquetOutputsAreRefusedUnlessOverwritten() throws IOException {
    Path parquetIn = FILES.resolve("sentences.parquet").toAbsolutePath();
    Path out = dir.resolve("out");
    String[] args = {"--input=" + parquetIn, "--output=" + out, "--outputFormat=parquet"};
    assertEquals(0, OutputFiles.runJob(args).status());
    // Only the Parquet files and run.json are left: the refusal must know the .parquet names.
    for (String name : List.of("run.json", "errors-00000-of-00001.jsonl")) {
      Files.deleteIfExists(out.resolve(name));
    }
    OutputFiles.JobRun again = OutputFiles.runJob(args);
    assertEquals(2, again.status(), again.err());
    assertTrue(
        again.err().contains("contextual-") || again.err().contains("attention-"), again.err());
    String[] overwrite = {
      "--input=" + parquetIn, "--output=" + out, "--overwrite", "--outputFormat=jsonl"
    };
    assertEquals(0, OutputFiles.runJob(overwrite).status());
    assertEquals(0, OutputFiles.count(out, "contextual-", ".parquet"), "deleted by --overwrite");
    assertEquals(60, OutputFiles.lines(out, "contextual").size());
  }

  @Test
  void unknownFormatsAreRefusedWithOneLine() throws IOException {
    Path in = jsonlCorpus();
    for (String option : List.of("--inputFormat=csv", "--outputFormat=avro")) {
      OutputFiles.JobRun r =
          OutputFiles.runJob("--input=" + in, "--output=" + dir.resolve("o"), option);
      assertEquals(2, r.status(), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains(option.substring(0, option.indexOf('='))), r.err());
    }
  }
}
