package dev.beamattention.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A file on any Beam file system (local, gs://, ...) as Parquet's {@link InputFile}, so that the
 * Parquet reader needs no Hadoop file system: it seeks in the channel Beam opens.
 */
public final class BeamInputFile implements InputFile {
  private final ResourceId file;
  private final long length;

  /**
   * @param length the file's size in bytes, as its match said
   */
  public BeamInputFile(ResourceId file, long length) {
    this.file = file;
    this.length = length;
  }

  /**
   * A reader of the file's rows as Avro records, with the file's own schema. No Hadoop site files
   * are looked for: the reader needs none of their settings.
   *
   * @throws IOException when the file cannot be opened or is not Parquet (the reader may also throw
   *     RuntimeExceptions for a damaged file)
   */
  public static ParquetReader<GenericRecord> rows(ResourceId file, long length) throws IOException {
    Configuration conf = new Configuration(false);
    // Lists as the Parquet spec lays them out (list > element), as pyarrow, Spark and this job
    // write them, are read as lists of their elements rather than of one-field records.
    conf.setBoolean("parquet.avro.add-list-element-records", false);
    return AvroParquetReader.<GenericRecord>builder(new BeamInputFile(file, length))
        .withDataModel(GenericData.get())
        .withConf(conf)
        .build();
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    ReadableByteChannel opened = FileSystems.open(file);
    if (!(opened instanceof SeekableByteChannel channel)) {
      opened.close();
      throw new IOException(file + ": its file system cannot seek in it, as Parquet needs");
    }
    InputStream in = Channels.newInputStream(channel);
    return new DelegatingSeekableInputStream(in) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long position) throws IOException {
        channel.position(position);
      }
    };
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
