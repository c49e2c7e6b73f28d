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
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes a bounded collection as JSON Lines files {@code DIR/KIND-SSSSS-of-NNNNN.jsonl} (with
 * {@code .gz} or {@code .zst} after it when compressed), one kind of file per {@link Part}: each
 * bundle streams every record, formatted once per part, as UTF-8 through the compressor if any
 * straight into a temporary file of its own per part, and once all bundles are done their files are
 * renamed into place (at least one file per part, empty if need be). With {@link #withIds} the
 * output carries the id of every record written; otherwise it is empty.
 *
 * <p>Why not TextIO: it formats each record into a String first, and the DirectRunner turns its
 * runner-chosen sharding into a GroupByKey whose in-memory state it copies as it grows, which on a
 * large corpus took more time and most of the heap. Here no record is shuffled. Why several parts
 * in one step: on Flink in batch a collection with several consumers is serialized once for each,
 * since only a sole consumer runs chained to its producer; the contextual and attention files and
 * the ids then cost one pass over the attended sentences instead of three. A bundle that fails or
 * is retried never reports its temporary files, so its records are not written twice; leftovers are
 * deleted at the end, and so are {@code KIND-*} shards an earlier run left in the same directory.
 */
final class JsonLinesSink<T> extends PTransform<PCollection<T>, PCollection<String>> {
  private static final long serialVersionUID = 1L;
  private static final TupleTag<KV<String, String>> FILES =
      new TupleTag<KV<String, String>>("files") {};
  private static final TupleTag<String> IDS = new TupleTag<String>("ids") {};

  /**
   * One kind of file: its name's first part, how a record is written as a line, and the name of the
   * counter of records written.
   */
  record Part<T>(String kind, JsonLines.Format<T> format, String counter)
      implements java.io.Serializable {}

  private final String directory;
  private final List<Part<T>> parts;
  private final OutputCompression compression;
  private final @Nullable SerializableFunction<T, String> idOf;

  /** Uncompressed files of one kind. */
  JsonLinesSink(String directory, String kind, JsonLines.Format<T> format, String counter) {
    this(directory, kind, format, counter, OutputCompression.NONE);
  }

  /**
   * Files of one kind.
   *
   * @param counter the name of the counter of records written
   * @param compression the codec of every file, whose ending the names carry
   */
  JsonLinesSink(
      String directory,
      String kind,
      JsonLines.Format<T> format,
      String counter,
      OutputCompression compression) {
    this(directory, List.of(new Part<>(kind, format, counter)), compression, null);
  }

  /** Files of each part's kind, every record into each. */
  JsonLinesSink(String directory, List<Part<T>> parts, OutputCompression compression) {
    this(directory, parts, compression, null);
  }

  private JsonLinesSink(
      String directory,
      List<Part<T>> parts,
      OutputCompression compression,
      @Nullable SerializableFunction<T, String> idOf) {
    super("Write" + stepName(parts));
    this.directory = directory;
    this.parts = List.copyOf(parts);
    this.compression = compression;
    this.idOf = idOf;
  }

  /** As this sink, its output the id of every record written (by {@code idOf}). */
  JsonLinesSink<T> withIds(SerializableFunction<T, String> idOf) {
    return new JsonLinesSink<>(directory, parts, compression, idOf);
  }

  // "Contextual", "ContextualAndAttention": the step's name says which files it writes.
  private static String stepName(List<? extends Part<?>> parts) {
    StringBuilder name = new StringBuilder();
    for (Part<?> part : parts) {
      String kind = part.kind();
      name.append(name.length() > 0 ? "And" : "")
          .append(Character.toUpperCase(kind.charAt(0)))
          .append(kind.substring(1));
    }
    return name.toString();
  }

  @Override
  public PCollection<String> expand(PCollection<T> records) {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    List<String> kinds = new ArrayList<>();
    for (Part<T> part : parts) {
      kinds.add(part.kind());
    }
    String temp =
        dir.resolve(
                ".temp-" + String.join("-", kinds) + "-" + UUID.randomUUID(),
                StandardResolveOptions.RESOLVE_DIRECTORY)
            .toString();
    PCollectionTuple written =
        records.apply(
            "WriteBundles",
            ParDo.of(new WriteBundleFn<>(temp, parts, compression, idOf))
                .withOutputTags(FILES, TupleTagList.of(IDS)));
    PCollectionView<List<KV<String, String>>> files =
        written
            .get(FILES)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply("ListFiles", View.asList());
    records
        .getPipeline()
        .apply("Once" + stepName(parts), Create.of(String.join(",", kinds)))
        .apply(
            "Finalize",
            ParDo.of(new FinalizeFn(directory, temp, kinds, compression, files))
                .withSideInputs(files));
    return written.get(IDS).setCoder(StringUtf8Coder.of());
  }

  /**
   * Streams a bundle's records into one temporary file per part; reports the files, as (kind,
   * file), when the bundle ends, and on {@link #IDS} each record's id when asked to.
   */
  static final class WriteBundleFn<T> extends DoFn<T, KV<String, String>> {
    private static final long serialVersionUID = 1L;
    // Records gather in memory and go to the file in writes of about this size.
    private static final int FLUSH_BYTES = 1 << 20;
    // Flushes before the last are whole 8 KiB blocks, two pages and what Beam's local channel
    // hands on at a time (see JsonBuffer.writeWholeBlocksTo): a profile of the 576 MB bench
    // corpus had 10% of the run's CPU in the kernel zeroing page-cache pages that the next write
    // then filled.
    private static final int BLOCK_BYTES = 8192;

    private final String tempDirectory;
    private final List<Part<T>> parts;
    private final Counter[] records;
    private final OutputCompression compression;
    private final @Nullable SerializableFunction<T, String> idOf;
    private transient String[] files;
    private transient OutputStream[] outs;
    private transient JsonBuffer[] buffers;

    WriteBundleFn(
        String tempDirectory,
        List<Part<T>> parts,
        OutputCompression compression,
        @Nullable SerializableFunction<T, String> idOf) {
      this.tempDirectory = tempDirectory;
      this.parts = parts;
      this.records = new Counter[parts.size()];
      for (int i = 0; i < parts.size(); i++) {
        records[i] = WriteOutputs.counter(parts.get(i).counter());
      }
      this.compression = compression;
      this.idOf = idOf;
    }

    @Setup
    public void setup() {
      files = new String[parts.size()];
      outs = new OutputStream[parts.size()];
      buffers = new JsonBuffer[parts.size()];
      for (int i = 0; i < buffers.length; i++) {
        buffers[i] = new JsonBuffer(2 * FLUSH_BYTES);
      }
    }

    @ProcessElement
    public void process(@Element T record, MultiOutputReceiver out) throws IOException {
      for (int i = 0; i < outs.length; i++) {
        JsonBuffer buffer = buffers[i];
        if (outs[i] == null) {
          ResourceId resource =
              FileSystems.matchNewResource(tempDirectory, true)
                  .resolve(
                      parts.get(i).kind() + "-" + UUID.randomUUID() + compression.suffix(),
                      StandardResolveOptions.RESOLVE_FILE);
          files[i] = resource.toString();
          outs[i] = open(resource, compression);
          buffer.reset();
        }
        parts.get(i).format().write(buffer, record);
        buffer.raw('\n');
        if (buffer.size() >= FLUSH_BYTES) {
          buffer.writeWholeBlocksTo(outs[i], BLOCK_BYTES);
        }
        records[i].inc();
      }
      if (idOf != null) {
        out.get(IDS).output(idOf.apply(record));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws IOException {
      for (int i = 0; i < outs.length; i++) {
        if (outs[i] != null) {
          buffers[i].writeTo(outs[i]);
          buffers[i].reset();
          outs[i].close();
          outs[i] = null;
          context.output(
              KV.of(parts.get(i).kind(), files[i]),
              GlobalWindow.INSTANCE.maxTimestamp(),
              GlobalWindow.INSTANCE);
        }
      }
    }

    @Teardown
    public void teardown() throws IOException {
      // Only after a failure: the files are never reported, and Finalize deletes them.
      for (int i = 0; outs != null && i < outs.length; i++) {
        if (outs[i] != null) {
          outs[i].close();
        }
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

  /** Renames the reported files of each kind into place, then deletes the temporary directory. */
  static final class FinalizeFn extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final String tempDirectory;
    private final List<String> kinds;
    private final OutputCompression compression;
    private final PCollectionView<List<KV<String, String>>> written;

    FinalizeFn(
        String directory,
        String tempDirectory,
        List<String> kinds,
        OutputCompression compression,
        PCollectionView<List<KV<String, String>>> written) {
      this.directory = directory;
      this.tempDirectory = tempDirectory;
      this.kinds = kinds;
      this.compression = compression;
      this.written = written;
    }

    @ProcessElement
    public void process(ProcessContext context) throws IOException {
      List<KV<String, String>> all = context.sideInput(written);
      ResourceId dir = FileSystems.matchNewResource(directory, true);
      for (String kind : kinds) {
        List<String> files = new ArrayList<>();
        for (KV<String, String> file : all) {
          if (file.getKey().equals(kind)) {
            files.add(file.getValue());
          }
        }
        Collections.sort(files);
        finalizeKind(dir, kind, files);
      }
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

    private void finalizeKind(ResourceId dir, String kind, List<String> files) throws IOException {
      int shards = Math.max(1, files.size());
      List<ResourceId> from = new ArrayList<>();
      List<ResourceId> to = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        from.add(FileSystems.matchNewResource(files.get(i), false));
        to.add(shard(dir, kind, i, shards));
      }
      List<ResourceId> keep = new ArrayList<>(to);
      if (files.isEmpty()) {
        keep.add(shard(dir, kind, 0, 1));
        // An empty shard is still a valid file of its codec (a gzip or zstd frame of nothing).
        open(keep.get(0), compression).close();
      }
      deleteOtherShards(dir, kind, keep);
      // A retried Finalize finds some files moved already: skip those.
      FileSystems.rename(from, to, StandardMoveOptions.IGNORE_MISSING_FILES);
    }

    // Shards of an earlier run into the same directory would mix with this run's: delete them,
    // compressed or not. This run's own names stay, so a retried Finalize keeps what it moved.
    private void deleteOtherShards(ResourceId dir, String kind, List<ResourceId> keep)
        throws IOException {
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

    private ResourceId shard(ResourceId dir, String kind, int index, int count) {
      return dir.resolve(
          String.format("%s-%05d-of-%05d%s", kind, index, count, compression.suffix()),
          StandardResolveOptions.RESOLVE_FILE);
    }
  }
}
