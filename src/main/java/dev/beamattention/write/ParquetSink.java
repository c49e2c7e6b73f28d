package dev.beamattention.write;

import dev.beamattention.parquet.OutputRows;
import dev.beamattention.parquet.ParquetSchemas;
import dev.beamattention.record.AttendedSentence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.ProcessFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes attended sentences as Parquet files {@code DIR/KIND-SSSSS-of-NNNNN.parquet} with
 * ParquetIO's sink and FileIO: one file per bundle by default, as {@link JsonLinesSink} does, a
 * fixed number with {@code numShards}, per window when the input is windowed. Snappy-compressed;
 * lists in the standard three-level layout that pyarrow, DuckDB and Spark read.
 */
final class ParquetSink extends PTransform<PCollection<AttendedSentence>, PDone> {
  private static final long serialVersionUID = 1L;

  /** Which file: its name, its schema, and a sentence as its row. */
  enum Kind {
    CONTEXTUAL("contextual") {
      @Override
      Schema schema(boolean float32) {
        return ParquetSchemas.contextual(float32);
      }

      @Override
      GenericRecord row(Schema schema, AttendedSentence s) {
        return OutputRows.contextual(schema, s);
      }
    },
    ATTENTION("attention") {
      @Override
      Schema schema(boolean float32) {
        return ParquetSchemas.attention(float32);
      }

      @Override
      GenericRecord row(Schema schema, AttendedSentence s) {
        return OutputRows.attention(schema, s);
      }
    };

    final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    abstract Schema schema(boolean float32);

    abstract GenericRecord row(Schema schema, AttendedSentence s);
  }

  // parquet-avro writes the old two-level lists unless told otherwise.
  private static final Map<String, String> CONFIG =
      Map.of("parquet.avro.write-old-list-structure", "false");

  private final String directory;
  private final Kind kind;
  private final int numShards;
  private final boolean windowed;
  private final String counter;
  private final String schemaJson; // Avro schemas are not serializable: parsed again where used
  private final CompressionCodecName codec;

  /**
   * @param numShards files per kind, or 0 for one per bundle (1 when the input is windowed)
   * @param counter the name of the counter of records written
   * @param float32 numbers as Parquet floats rather than doubles
   * @param codec the Parquet compression codec
   */
  ParquetSink(
      String directory,
      Kind kind,
      int numShards,
      boolean windowed,
      String counter,
      boolean float32,
      CompressionCodecName codec) {
    super("Write" + kind.prefix);
    this.schemaJson = kind.schema(float32).toString();
    this.codec = codec;
    this.directory = directory;
    this.kind = kind;
    this.numShards = windowed ? Math.max(1, numShards) : numShards;
    this.windowed = windowed;
    this.counter = counter;
  }

  @Override
  public PDone expand(PCollection<AttendedSentence> sentences) {
    Schema schema = new Schema.Parser().parse(schemaJson);
    // A temporary folder per kind, so that each can be removed once its files are in place.
    String temp =
        FileSystems.matchNewResource(directory, true)
            .resolve(".temp-parquet-" + kind.prefix, StandardResolveOptions.RESOLVE_DIRECTORY)
            .toString();
    FileIO.Write<Void, AttendedSentence> write =
        FileIO.<AttendedSentence>write()
            .via(
                Contextful.fn(new ToRow(kind, schemaJson, counter)),
                ParquetIO.sink(schema).withCompressionCodec(codec).withConfiguration(CONFIG))
            .to(directory)
            .withTempDirectory(temp)
            .withPrefix(kind.prefix)
            .withSuffix(".parquet");
    if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    WriteFilesResult<Void> written = sentences.apply("Write", write);
    if (!windowed) {
      // FileIO deletes its temporary files but leaves their (empty) folders behind.
      written
          .getPerDestinationOutputFilenames()
          .apply("CountFiles", Count.globally())
          .apply("RemoveTempFolder", ParDo.of(new RemoveFolderFn(temp)));
    }
    return PDone.in(sentences.getPipeline());
  }

  /** Deletes the emptied temporary folder (and FileIO's own inside it) once the files are done. */
  static final class RemoveFolderFn extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;
    private final String folder;

    RemoveFolderFn(String folder) {
      this.folder = folder;
    }

    @ProcessElement
    public void process() throws IOException {
      ResourceId dir = FileSystems.matchNewResource(folder, true);
      List<ResourceId> gone = new ArrayList<>();
      MatchResult left = FileSystems.match(folder + "**", EmptyMatchTreatment.ALLOW);
      if (left.status() == MatchResult.Status.OK) {
        left.metadata().forEach(m -> gone.add(m.resourceId()));
      }
      gone.add(dir.resolve(".temp-beam", StandardResolveOptions.RESOLVE_DIRECTORY));
      gone.add(dir);
      FileSystems.delete(gone, StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  /** A sentence as its row, counted. */
  static final class ToRow implements ProcessFunction<AttendedSentence, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final Kind kind;
    private final String schemaJson;
    private final Counter written;
    private transient Schema schema;

    ToRow(Kind kind, String schemaJson, String counter) {
      this.kind = kind;
      this.schemaJson = schemaJson;
      this.written = WriteOutputs.counter(counter);
    }

    @Override
    public GenericRecord apply(AttendedSentence s) {
      if (schema == null) {
        schema = new Schema.Parser().parse(schemaJson);
      }
      written.inc();
      return kind.row(schema, s);
    }
  }
}
