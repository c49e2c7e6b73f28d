package dev.beamattention.read;

import dev.beamattention.parquet.BeamInputFile;
import dev.beamattention.parquet.RowParser;
import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.Sentence;
import java.io.IOException;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads the rows of one Parquet file, in order, into sentences and error records, for {@link
 * ReadSentences}; counts them as {@link LineHandler} counts lines.
 *
 * <p>Why not ParquetIO's read transforms: their parse function sees a row without its file or
 * position, and a file that is not Parquet fails the whole pipeline. Here the same parquet-avro
 * reader that ParquetIO wraps reads a file at a time, so a bad row's error record names its file
 * and row, and a file that cannot be read (not Parquet, columns of the wrong type, a damaged page)
 * becomes one error record from where reading stopped, and the job goes on with the other files.
 */
final class ReadParquetFn extends DoFn<FileIO.ReadableFile, Sentence> {
  private static final long serialVersionUID = 1L;

  private final Counter sentencesRead =
      Metrics.counter(ReadSentences.class, ReadSentences.SENTENCES_READ);
  private final Counter malformed =
      Metrics.counter(ReadSentences.class, ReadSentences.MALFORMED_LINES);
  private final Counter widthMismatches =
      Metrics.counter(ReadSentences.class, ReadSentences.WIDTH_MISMATCHES);

  private final RowParser parser;
  private final boolean tokensSuffice;

  ReadParquetFn(RowParser parser, boolean tokensSuffice) {
    this.parser = parser;
    this.tokensSuffice = tokensSuffice;
  }

  @ProcessElement
  public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
      throws IOException {
    String source = file.getMetadata().resourceId().toString();
    ParquetReader<GenericRecord> opened;
    try {
      opened = open(file);
    } catch (IOException | RuntimeException e) {
      unreadable(source, "not a readable Parquet file: " + e, null, out);
      return;
    }
    try (ParquetReader<GenericRecord> reader = opened) {
      for (long row = 0; ; row++) {
        GenericRecord r;
        try {
          r = reader.read();
        } catch (IOException | RuntimeException e) {
          // Only the reader's own failures: a damaged file stops here, the rest of it unread.
          String where = row == 0 ? "not a readable Parquet file" : "unreadable after row " + row;
          unreadable(source, where + ": " + e, null, out);
          return;
        }
        if (r == null) {
          return;
        }
        if (row == 0) {
          Optional<String> problem = RowParser.checkSchema(r.getSchema());
          if (problem.isPresent()) {
            unreadable(source, problem.get() + ": no row of the file is read", r.getSchema(), out);
            return;
          }
        }
        row(r, row, source, out);
      }
    }
  }

  private static ParquetReader<GenericRecord> open(FileIO.ReadableFile file) throws IOException {
    return BeamInputFile.rows(file.getMetadata().resourceId(), file.getMetadata().sizeBytes());
  }

  private void row(GenericRecord r, long index, String source, MultiOutputReceiver out) {
    sentencesRead.inc();
    try {
      LineHandler.emit(parser.parse(r, tokensSuffice), Optional.of(source), out);
    } catch (BadRecordException e) {
      (e.kind() == ErrorKind.WIDTH ? widthMismatches : malformed).inc();
      out.get(ErrorRecord.TAG)
          .output(
              ErrorRecord.of(
                  e.kind(), "row " + index + ": " + e.getMessage(), r.toString(), source));
    } catch (ClassCastException e) {
      // checkSchema let the columns through, so a value of another type is a row's own fault.
      malformed.inc();
      out.get(ErrorRecord.TAG)
          .output(
              ErrorRecord.of(
                  ErrorKind.INVALID,
                  "row " + index + ": a value of an unexpected type: " + e.getMessage(),
                  r.toString(),
                  source));
    }
  }

  // One error record for the part of a file that could not be read; counted as one input.
  private void unreadable(
      String source, String reason, org.apache.avro.Schema schema, MultiOutputReceiver out) {
    sentencesRead.inc();
    malformed.inc();
    String input = schema == null ? source : schema.toString();
    out.get(ErrorRecord.TAG)
        .output(ErrorRecord.of(ErrorKind.MALFORMED, "Parquet file: " + reason, input, source));
  }
}
