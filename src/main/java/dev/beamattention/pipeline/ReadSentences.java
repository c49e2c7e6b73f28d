package dev.beamattention.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the JSON Lines files a glob matches and parses them, as {@link ParseSentences} does, into
 * {@link ParseSentences#SENTENCES}, {@link ParseSentences#PENDING} and {@link Failures#TAG}; error
 * records name their file.
 *
 * <p>Why not TextIO and ParseSentences: TextIO decodes every line into a String that the parser
 * then copies back into chars, and on the DirectRunner it hands a file's lines downstream in a
 * few huge bundles, so a 600 MB corpus sat in memory between stages. Here files are cut into
 * ranges of {@link #RANGE_BYTES}, spread over workers, and read by a splittable DoFn: a runner
 * may cut a range further or pause it (the DirectRunner does every 100 records, which lets later
 * stages start and bounds memory), and lines go from the file's bytes straight into Jackson's
 * UTF-8 parser. A range owns the lines
 * that start in it, as in TextIO. Lines end at {@code \n}, and a {@code \r} before it is dropped.
 * Compressed files are read whole, by one worker.
 */
public final class ReadSentences extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Bytes of a file per initial range, which a runner may cut further. */
  static final long RANGE_BYTES = 64L << 20;

  private final String glob;
  private final ParseSentences parse;
  private final long rangeBytes;

  private ReadSentences(String glob, ParseSentences parse, long rangeBytes) {
    super("ReadSentences");
    this.glob = glob;
    this.parse = parse;
    this.rangeBytes = rangeBytes;
  }

  /** The files {@code glob} matches, parsed with the settings of {@code parse}. */
  public static ReadSentences from(String glob, ParseSentences parse) {
    return new ReadSentences(glob, parse, RANGE_BYTES);
  }

  /** With initial ranges of {@code bytes}: tests cut small files into many. */
  ReadSentences withRangeBytes(long bytes) {
    return new ReadSentences(glob, parse, bytes);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    // The ranges are spread before reading: runners that read a splittable DoFn's initial
    // ranges where its element is (Flink, Spark) would otherwise read a file on one worker.
    PCollection<KV<String, OffsetRange>> ranges =
        begin
            .apply("MatchFiles", FileIO.match().filepattern(glob))
            .apply("SplitFiles", ParDo.of(new SplitFn(rangeBytes)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), OffsetRange.Coder.of()))
            .apply("SpreadRanges", Reshuffle.viaRandomKey());
    PCollectionTuple out =
        ranges.apply(
            "ParseLines",
            ParDo.of(new ReadLinesFn(parse.lineHandler(), rangeBytes))
                .withOutputTags(
                    ParseSentences.SENTENCES,
                    TupleTagList.of(Failures.TAG).and(ParseSentences.PENDING)));
    out.get(ParseSentences.SENTENCES).setCoder(SentenceCoder.of());
    out.get(ParseSentences.PENDING).setCoder(PendingSentence.Coder.of());
    out.get(Failures.TAG).setCoder(FailureCoder.of());
    return out;
  }

  /**
   * Cuts a file into ranges of about {@code rangeBytes}; a compressed file, which cannot be
   * entered in the middle, is the one range [0, 1), read whole.
   */
  static final class SplitFn extends DoFn<MatchResult.Metadata, KV<String, OffsetRange>> {
    private static final long serialVersionUID = 1L;
    private final long rangeBytes;

    SplitFn(long rangeBytes) {
      this.rangeBytes = rangeBytes;
    }

    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file, OutputReceiver<KV<String, OffsetRange>> out) {
      String name = file.resourceId().toString();
      if (!isPlain(file.resourceId()) || !file.isReadSeekEfficient()) {
        out.output(KV.of(name, new OffsetRange(0, 1)));
        return;
      }
      OffsetRange whole = new OffsetRange(0, file.sizeBytes());
      for (OffsetRange part : whole.split(rangeBytes, Math.max(1, rangeBytes / 4))) {
        out.output(KV.of(name, part));
      }
    }
  }

  static boolean isPlain(ResourceId file) {
    String name = file.getFilename();
    return Compression.detect(name == null ? "" : name) == Compression.UNCOMPRESSED;
  }

  /**
   * Reads the lines of a file that start in a range and hands each to the {@link LineHandler}.
   * Splittable: the restriction is that range, claimed line by line at each line's first byte,
   * so a runner can cut the rest off and hand it on. A compressed file's restriction is [0, 1),
   * claimed once for the whole file.
   */
  static final class ReadLinesFn extends DoFn<KV<String, OffsetRange>, Sentence> {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 1 << 20;

    private final LineHandler lines;
    private final long rangeBytes;
    private transient byte[] buffer;

    ReadLinesFn(LineHandler lines, long rangeBytes) {
      this.lines = lines;
      this.rangeBytes = rangeBytes;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element KV<String, OffsetRange> range) {
      return range.getValue();
    }

    @GetSize
    public double size(@Element KV<String, OffsetRange> range, @Restriction OffsetRange rest) {
      // A compressed file's size after decompression is not known: count it as one range.
      return isPlain(FileSystems.matchNewResource(range.getKey(), false))
          ? rest.getTo() - rest.getFrom()
          : rangeBytes;
    }

    @ProcessElement
    public void process(
        @Element KV<String, OffsetRange> range,
        RestrictionTracker<OffsetRange, Long> tracker,
        MultiOutputReceiver out)
        throws IOException {
      String source = range.getKey();
      ResourceId resource = FileSystems.matchNewResource(source, false);
      long start = tracker.currentRestriction().getFrom();
      if (buffer == null) {
        buffer = new byte[4 * CHUNK];
      }
      ReadableByteChannel channel = FileSystems.open(resource);
      try (InputStream in = Channels.newInputStream(channel)) {
        if (!isPlain(resource)) {
          if (!tracker.tryClaim(0L)) {
            return;
          }
          String name = resource.getFilename();
          InputStream data =
              Channels.newInputStream(
                  Compression.detect(name == null ? "" : name).readDecompressed(channel));
          new RangeReader(data, 0, false, null, source, out).run();
          return;
        }
        // Start one byte early: the line that starts at `start` follows a newline there.
        long position = 0;
        if (start > 0) {
          ((SeekableByteChannel) channel).position(start - 1);
          position = start - 1;
        }
        new RangeReader(in, position, start > 0, tracker, source, out).run();
      }
    }

    /** The state of reading one range: the buffer holds {@code [pos, limit)} of unread bytes. */
    private final class RangeReader {
      private final InputStream in;
      private final RestrictionTracker<OffsetRange, Long> tracker; // null: read to the end
      private final String source;
      private final MultiOutputReceiver out;
      private long base; // file offset of buffer[0]
      private int pos;
      private int limit;
      private boolean skipFirst;
      private boolean eof;

      RangeReader(
          InputStream in,
          long base,
          boolean skipFirst,
          RestrictionTracker<OffsetRange, Long> tracker,
          String source,
          MultiOutputReceiver out) {
        this.in = in;
        this.base = base;
        this.skipFirst = skipFirst;
        this.tracker = tracker;
        this.source = source;
        this.out = out;
      }

      void run() throws IOException {
        int scan = 0; // where to look for the next newline
        while (true) {
          int newline = indexOf(buffer, '\n', pos + scan, limit);
          if (newline >= 0) {
            if (!line(pos, newline)) {
              return;
            }
            pos = newline + 1;
            scan = 0;
            continue;
          }
          scan = limit - pos;
          if (eof) {
            boolean claimed = limit == pos || line(pos, limit);
            if (claimed && tracker != null) {
              tracker.tryClaim(Long.MAX_VALUE); // the file ends: nothing is left to claim
            }
            return;
          }
          if (limit - pos > lines.maxLineBytes()) {
            if (!skipLongLine()) {
              return;
            }
            scan = 0;
            continue;
          }
          fill();
        }
      }

      // Returns false when the line is not this restriction's to read: stop there.
      private boolean line(int from, int to) {
        if (skipFirst) {
          skipFirst = false; // the tail of a line the previous range owns
          return true;
        }
        if (tracker != null && !tracker.tryClaim(base + from)) {
          return false;
        }
        int length = to - from;
        if (length > 0 && buffer[to - 1] == '\r') {
          length--;
        }
        lines.handle(buffer, from, length, source, out);
        return true;
      }

      // The line at pos is longer than any usable line: keep its start for the error record and
      // read on to its end without holding it.
      private boolean skipLongLine() throws IOException {
        byte[] start = Arrays.copyOfRange(buffer, pos, pos + Math.min(limit - pos, 64 * 1024));
        long length = limit - pos;
        boolean owned = !skipFirst && (tracker == null || tracker.tryClaim(base + pos));
        if (!skipFirst && !owned) {
          return false;
        }
        while (true) {
          base += limit;
          pos = 0;
          limit = 0;
          fill();
          int newline = indexOf(buffer, '\n', 0, limit);
          if (newline >= 0 || eof) {
            int tail = newline >= 0 ? newline : limit;
            length += tail;
            pos = newline >= 0 ? newline + 1 : limit;
            break;
          }
          length += limit;
        }
        if (owned) {
          lines.tooLong(start, 0, start.length, length, source, out);
        }
        skipFirst = false;
        return true;
      }

      // Moves unread bytes to the front, grows the buffer if a line fills it, reads more.
      private void fill() throws IOException {
        if (pos > 0) {
          System.arraycopy(buffer, pos, buffer, 0, limit - pos);
          base += pos;
          limit -= pos;
          pos = 0;
        }
        if (buffer.length - limit < CHUNK) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.readNBytes(buffer, limit, CHUNK);
        if (n < CHUNK) {
          eof = true;
        }
        limit += n;
      }
    }

    private static int indexOf(byte[] bytes, char c, int from, int to) {
      for (int i = from; i < to; i++) {
        if (bytes[i] == c) {
          return i;
        }
      }
      return -1;
    }
  }
}
