package dev.beamattention.write;

import dev.beamattention.files.OutputCompression;
import dev.beamattention.json.JsonBuffer;
import dev.beamattention.json.JsonLines;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes a bounded collection as JSON Lines files {@code DIR/KIND-SSSSS-of-NNNNN.jsonl} (with
 * {@code .gz} or {@code .zst} after it when compressed): each bundle streams its records as UTF-8,
 * through the compressor if any, straight into a temporary file of its own, and once all bundles
 * are done their files are renamed into place (at least one file, empty if need be).
 *
 * <p>Why not TextIO: it formats each record into a String first, and the DirectRunner turns its
 * runner-chosen sharding into a GroupByKey whose in-memory state it copies as it grows, which on a
 * large corpus took more time and most of the heap. Here no record is shuffled. A bundle that fails
 * or is retried never reports its temporary file, so its records are not written twice; leftovers
 * are deleted at the end, and so are {@code KIND-*} shards an earlier run left in the same
 * directory.
 */
final class JsonLinesSink<T> extends PTransform<PCollection<T>, PDone> {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final String kind;
  private final JsonLines.Format<T> format;
  private final String counter;
  private final OutputCompression compression;

  /** Uncompressed files. */
  JsonLinesSink(String directory, String kind, JsonLines.Format<T> format, String counter) {
    this(directory, kind, format, counter, OutputCompression.NONE);
  }

  /**
   * @param counter the name of the counter of records written
   * @param compression the codec of every file, whose ending the names carry
   */
  JsonLinesSink(
      String directory,
      String kind,
      JsonLines.Format<T> format,
      String counter,
      OutputCompression compression) {
    super("Write" + kind);
    this.directory = directory;
    this.kind = kind;
    this.format = format;
    this.counter = counter;
    this.compression = compression;
  }

  @Override
  public PDone expand(PCollection<T> records) {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    String temp =
        dir.resolve(
                ".temp-" + kind + "-" + UUID.randomUUID(), StandardResolveOptions.RESOLVE_DIRECTORY)
            .toString();
    PCollectionView<List<String>> written =
        records
            .apply(
                "WriteBundles",
                ParDo.of(new WriteBundleFn<>(temp, kind, format, counter, compression)))
            .apply("ListFiles", View.asList());
    records
        .getPipeline()
        .apply("Once" + kind, Create.of(kind))
        .apply(
            "Finalize",
            ParDo.of(new FinalizeFn(directory, temp, kind, compression, written))
                .withSideInputs(written));
    return PDone.in(records.getPipeline());
  }

  /** Streams a bundle's records into one temporary file; reports the file when the bundle ends. */
  static final class WriteBundleFn<T> extends DoFn<T, String> {
    private static final long serialVersionUID = 1L;
    // Records gather in memory and go to the file in writes of about this size.
    private static final int FLUSH_BYTES = 1 << 20;

    private final String tempDirectory;
    private final String kind;
    private final JsonLines.Format<T> format;
    private final Counter records;
    private final OutputCompression compression;
    private transient String file;
    private transient OutputStream out;
    private transient JsonBuffer buffer;

    WriteBundleFn(
        String tempDirectory,
        String kind,
        JsonLines.Format<T> format,
        String counter,
        OutputCompression compression) {
      this.tempDirectory = tempDirectory;
      this.kind = kind;
      this.format = format;
      this.records = WriteOutputs.counter(counter);
      this.compression = compression;
    }

    @ProcessElement
    public void process(@Element T record) throws IOException {
      if (out == null) {
        ResourceId resource =
            FileSystems.matchNewResource(tempDirectory, true)
                .resolve(
                    kind + "-" + UUID.randomUUID() + compression.suffix(),
                    StandardResolveOptions.RESOLVE_FILE);
        file = resource.toString();
        out = open(resource, compression);
        if (buffer == null) {
          buffer = new JsonBuffer(2 * FLUSH_BYTES);
        }
        buffer.reset();
      }
      format.write(buffer, record);
      buffer.raw('\n');
      if (buffer.size() >= FLUSH_BYTES) {
        buffer.writeTo(out);
        buffer.reset();
      }
      records.inc();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws IOException {
      if (out != null) {
        buffer.writeTo(out);
        buffer.reset();
        out.close();
        context.output(file, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
        out = null;
      }
    }

    @Teardown
    public void teardown() throws IOException {
      // Only after a failure: the file is never reported, and Finalize deletes it.
      if (out != null) {
        out.close();
      }
    }
  }

  // A new file's stream, through the compressor when there is one (closing it finishes the codec).
  static OutputStream open(ResourceId resource, OutputCompression compression) throws IOException {
    if (compression == OutputCompression.NONE) {
      return Channels.newOutputStream(FileSystems.create(resource, MimeTypes.TEXT));
    }
    return Channels.newOutputStream(
        compression.beam().writeCompressed(FileSystems.create(resource, MimeTypes.BINARY)));
  }

  /** Renames the reported files into place, then deletes the temporary directory. */
  static final class FinalizeFn extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final String tempDirectory;
    private final String kind;
    private final OutputCompression compression;
    private final PCollectionView<List<String>> written;

    FinalizeFn(
        String directory,
        String tempDirectory,
        String kind,
        OutputCompression compression,
        PCollectionView<List<String>> written) {
      this.directory = directory;
      this.tempDirectory = tempDirectory;
      this.kind = kind;
      this.compression = compression;
      this.written = written;
    }

    @ProcessElement
    public void process(ProcessContext context) throws IOException {
      List<String> files = new ArrayList<>(context.sideInput(written));
      Collections.sort(files);
      ResourceId dir = FileSystems.matchNewResource(directory, true);
      int shards = Math.max(1, files.size());
      List<ResourceId> from = new ArrayList<>();
      List<ResourceId> to = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        from.add(FileSystems.matchNewResource(files.get(i), false));
        to.add(shard(dir, i, shards));
      }
      List<ResourceId> keep = new ArrayList<>(to);
      if (files.isEmpty()) {
        keep.add(shard(dir, 0, 1));
        // An empty shard is still a valid file of its codec (a gzip or zstd frame of nothing).
        open(keep.get(0), compression).close();
      }
      deleteOtherShards(dir, keep);
      // A retried Finalize finds some files moved already: skip those.
      FileSystems.rename(from, to, StandardMoveOptions.IGNORE_MISSING_FILES);
      List<ResourceId> leftovers = new ArrayList<>();
      MatchResult match = FileSystems.match(tempDirectory + "*");
      if (match.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : match.metadata()) {
          leftovers.add(m.resourceId());
        }
      }
      leftovers.add(FileSystems.matchNewResource(tempDirectory, true));
      FileSystems.delete(leftovers, StandardMoveOptions.IGNORE_MISSING_FILES);
    }

    // Shards of an earlier run into the same directory would mix with this run's: delete them,
    // compressed or not. This run's own names stay, so a retried Finalize keeps what it moved.
    private void deleteOtherShards(ResourceId dir, List<ResourceId> keep) throws IOException {
      Set<String> names = new HashSet<>();
      for (ResourceId r : keep) {
        names.add(r.toString());
      }
      List<ResourceId> stale = new ArrayList<>();
      for (String suffix : OutputCompression.allSuffixes()) {
        MatchResult old =
            FileSystems.match(
                dir.resolve(kind + "-?????-of-?????" + suffix, StandardResolveOptions.RESOLVE_FILE)
                    .toString());
        if (old.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata m : old.metadata()) {
            if (!names.contains(m.resourceId().toString())) {
              stale.add(m.resourceId());
            }
          }
        }
      }
      FileSystems.delete(stale, StandardMoveOptions.IGNORE_MISSING_FILES);
    }

    private ResourceId shard(ResourceId dir, int index, int count) {
      return dir.resolve(
          String.format("%s-%05d-of-%05d%s", kind, index, count, compression.suffix()),
          StandardResolveOptions.RESOLVE_FILE);
    }
  }
}
