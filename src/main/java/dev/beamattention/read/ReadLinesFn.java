package dev.beamattention.read;

import dev.beamattention.files.InputFiles;
import dev.beamattention.record.Sentence;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.KV;

/**
 * Reads the lines of a file that start in a byte range and hands each to the {@link LineHandler},
 * for {@link ReadSentences}. Splittable: the restriction is the range, claimed at each line's first
 * byte, so a runner can cut the rest off and hand it on. A piece read whole (compressed, or not
 * seekable) has the restriction [0, 1), claimed once.
 *
 * <p>A range starts reading one byte early and skips through the first newline: the line that
 * starts exactly at the range's start follows a newline there, and any other line that began before
 * it belongs to the range before. A UTF-8 byte order mark at the start of a file is dropped, as
 * TextIO does.
 *
 * <p>A piece read whole that breaks part way (a truncated {@code .gz}, a bad CRC) keeps the lines
 * read before the break and ends in one {@code brokenFile} error record that names the file, the
 * line and the byte offset past which it could not be read; the job goes on with the other files.
 * (The decompressor drops what its failing read had inflated: up to 8 KiB before the break.)
 */
final class ReadLinesFn extends DoFn<KV<KV<String, Boolean>, OffsetRange>, Sentence> {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A_0A0A_0A0A_0A0AL;

  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 1 << 20;
  private static final int KEPT_BUFFER = 4 * CHUNK;
  // Channels.newInputStream hands on reads in pieces of 8 KiB anyway.
  private static final int READ = 8 << 10;
  // After a checkpoint request, read on through this many bytes (see LineRangeTracker). On the
  // 576 MB bench corpus (lines of about 115 KB), five rounds: 16 MiB took the DirectRunner's
  // bundles from 51 to 22 and the run from a median 9.80 s (16.6 s of CPU) to 9.42 s (15.5 s);
  // 32 MiB was no faster and held more (resident 780-820 against 715-800 MB; 486-614 before).
  static final long CHECKPOINT_AHEAD = 16L << 20;
  // No line is held beyond this, whatever --maxLineBytes says: Java arrays end near 2 GiB.
  private static final int MAX_BUFFER = 1 << 30;

  private final LineHandler lines;
  private final long rangeBytes;
  private transient byte[] buffer;

  ReadLinesFn(LineHandler lines, long rangeBytes) {
    this.lines = lines;
    this.rangeBytes = rangeBytes;
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element KV<KV<String, Boolean>, OffsetRange> piece) {
    return piece.getValue();
  }

  @NewTracker
  public OffsetRangeTracker newTracker(@Restriction OffsetRange range) {
    return new LineRangeTracker(range, CHECKPOINT_AHEAD);
  }

  @GetSize
  public double size(
      @Element KV<KV<String, Boolean>, OffsetRange> piece, @Restriction OffsetRange range) {
    // The size of a piece read whole is not known before reading: count it as one range.
    return piece.getKey().getValue() ? rangeBytes : range.getTo() - range.getFrom();
  }

  @ProcessElement
  public void process(
      @Element KV<KV<String, Boolean>, OffsetRange> piece,
      RestrictionTracker<OffsetRange, Long> tracker,
      MultiOutputReceiver out)
      throws IOException {
    String source = piece.getKey().getKey();
    boolean whole = piece.getKey().getValue();
    ResourceId resource = FileSystems.matchNewResource(source, false);
    if (buffer == null || buffer.length > KEPT_BUFFER) {
      buffer = new byte[KEPT_BUFFER]; // a long line grew it: do not keep that much per instance
    }
    if (whole) {
      if (!tracker.tryClaim(0L)) {
        return;
      }
      RangeReader reader = new RangeReader(0, false, null, source, out);
      try (InputStream in = InputFiles.open(resource)) {
        reader.run(in);
      } catch (IOException e) {
        // A truncated or corrupt compressed file: keep what was read, say where it broke, and let
        // the other files go on. (Ranges of plain files are not caught: their I/O errors are the
        // file system's, which the runner retries.)
        reader.broke(e);
      }
      return;
    }
    long start = tracker.currentRestriction().getFrom();
    ReadableByteChannel channel = FileSystems.open(resource);
    try (InputStream in = Channels.newInputStream(channel)) {
      long position = Math.max(0, start - 1);
      if (position > 0) {
        ((SeekableByteChannel) channel).position(position);
      }
      new RangeReader(position, start > 0, tracker, source, out).run(in);
    }
  }

  /** The state of reading one range: the buffer holds {@code [pos, limit)} of unread bytes. */
  private final class RangeReader {
    private InputStream in;
    private final RestrictionTracker<OffsetRange, Long> tracker; // null: read to the end
    private final String source;
    private final MultiOutputReceiver out;
    private long base; // file offset of buffer[0]
    private int pos;
    private int limit;
    private boolean skipFirst;
    private boolean eof;
    private long lineCount; // lines ended so far: line numbers when reading from the start

    RangeReader(
        long base,
        boolean skipFirst,
        RestrictionTracker<OffsetRange, Long> tracker,
        String source,
        MultiOutputReceiver out) {
      this.base = base;
      this.skipFirst = skipFirst;
      this.tracker = tracker;
      this.source = source;
      this.out = out;
    }

    void run(InputStream in) throws IOException {
      this.in = in;
      int scan = 0; // bytes after pos known to hold no newline
      while (true) {
        int newline = newline(buffer, pos + scan, limit);
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
          if (limit > pos && !line(pos, limit)) {
            return;
          }
          if (tracker != null) {
            // Nothing is left: claiming past the end marks the range done (and no offset near
            // Long.MAX_VALUE, which a later split request would overflow on).
            tracker.tryClaim(Math.max(base + limit, tracker.currentRestriction().getTo()));
          }
          return;
        }
        // One byte of slack: a line of exactly --maxLineBytes may wait for its "\n" after "\r".
        if (limit - pos > lines.maxLineBytes() + 1L
            || (buffer.length >= MAX_BUFFER && buffer.length - limit < CHUNK)) {
          if (!skipLongLine()) {
            return;
          }
          scan = 0;
          continue;
        }
        fill();
      }
    }

    // The stream broke: the unread bytes are the start of the line it broke in.
    void broke(IOException e) {
      // The lines that came whole before the break are read as any others; the rest is the
      // line it broke in.
      for (int nl = newline(buffer, pos, limit);
          nl >= 0 && line(pos, nl);
          nl = newline(buffer, pos, limit)) {
        pos = nl + 1;
      }
      lines.broken(buffer, pos, limit - pos, source, lineCount + 1, base + limit, e, out);
    }

    // Returns false when the line is not this restriction's to read: stop there.
    private boolean line(int from, int to) {
      lineCount++;
      if (skipFirst) {
        skipFirst = false; // the tail of a line the range before owns
        return true;
      }
      if (tracker != null && !tracker.tryClaim(base + from)) {
        return false;
      }
      if (base + from == 0
          && to - from >= 3
          && buffer[from] == (byte) 0xEF
          && buffer[from + 1] == (byte) 0xBB
          && buffer[from + 2] == (byte) 0xBF) {
        from += 3;
      }
      int length = to - from;
      if (length > 0 && buffer[to - 1] == '\r') {
        length--;
      }
      lines.handle(buffer, from, length, source, out);
      return true;
    }

    // The line at pos is longer than any usable line: keep its start for the error record and
    // read on to its end without holding it. Returns false when it is not this range's line.
    private boolean skipLongLine() throws IOException {
      boolean owned = !skipFirst;
      if (owned && tracker != null && !tracker.tryClaim(base + pos)) {
        return false;
      }
      byte[] start = Arrays.copyOfRange(buffer, pos, pos + Math.min(limit - pos, 64 * 1024));
      long length = limit - pos;
      while (true) {
        base += limit;
        pos = 0;
        limit = 0;
        fill();
        int newline = newline(buffer, 0, limit);
        if (newline >= 0) {
          length += newline > 0 && buffer[newline - 1] == '\r' ? newline - 1 : newline;
          pos = newline + 1;
          break;
        }
        length += limit;
        if (eof) {
          pos = limit;
          break;
        }
      }
      lineCount++;
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
        buffer = Arrays.copyOf(buffer, Math.min(MAX_BUFFER, buffer.length * 2));
      }
      // Small reads, not readNBytes: a decompressing stream that breaks throws away what the
      // failing read had inflated, so each read's bytes are kept as it returns, and a broken
      // file loses at most one read's worth before the break.
      for (int want = limit + Math.min(CHUNK, buffer.length - limit); limit < want; ) {
        int n = in.read(buffer, limit, Math.min(READ, want - limit));
        if (n < 0) {
          eof = true;
          break;
        }
        limit += n;
      }
    }
  }

  // The first '\n' in bytes[from, to), or -1: eight bytes at a time (a line of the corpus is
  // some 100 KB, and a byte-by-byte loop took 0.2 s of a 576 MB run), the tail byte by byte.
  static int newline(byte[] bytes, int from, int to) {
    int i = from;
    for (; i <= to - 8; i += 8) {
      long x = (long) LONG_LE.get(bytes, i) ^ NEWLINES;
      // A byte of x is zero where a byte is '\n'; the lowest flagged byte is the first such (a
      // borrow only flags bytes above a zero byte).
      long zeros = (x - 0x0101_0101_0101_0101L) & ~x & 0x8080_8080_8080_8080L;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
