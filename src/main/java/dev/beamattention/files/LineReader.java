package dev.beamattention.files;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The lines of a stream of UTF-8 text, each decoded strictly and held only up to a bound, for files
 * read before or beside the input (a word-vector table, the input's first lines). Unlike a {@code
 * BufferedReader}, a line that is not UTF-8 or that is longer than the bound is handed back as
 * such, with its number, and reading goes on; and no line is held past the bound, however long it
 * is.
 *
 * <p>Lines end at {@code \n}; a {@code \r} before it is dropped.
 */
public final class LineReader implements Closeable {
  /** A line, numbered from 1. */
  public sealed interface Line permits Text, TooLong, NotUtf8 {
    long number();
  }

  /** A line of valid UTF-8 within the bound. */
  public record Text(long number, String text) implements Line {}

  /** A line of {@code bytes} bytes, more than the bound; {@code start} is its first bytes. */
  public record TooLong(long number, long bytes, String start) implements Line {}

  /** A line that is not valid UTF-8, shown with U+FFFD for each bad sequence. */
  public record NotUtf8(long number, String lossy) implements Line {}

  // A too-long line keeps this much of its start, for an error record.
  private static final int KEPT = 4096;
  private static final int CHUNK = 64 << 10;

  private final InputStream in;
  private final int maxBytes;
  private byte[] buffer = new byte[CHUNK];
  private int pos;
  private int limit;
  private boolean eof;
  private long number;
  private long consumed; // bytes of the lines handed back so far, newlines included

  /**
   * @param maxBytes the longest line held, in bytes
   */
  public LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** Lines handed back so far. */
  public long lines() {
    return number;
  }

  /** Bytes of the stream in the lines handed back so far, newlines included. */
  public long offset() {
    return consumed;
  }

  /**
   * The next line; empty at the end of the stream.
   *
   * @throws IOException when the stream breaks; the lines before were handed back whole
   */
  public Optional<Line> next() throws IOException {
    int scanned = pos;
    while (true) {
      int newline = indexOf(scanned, limit);
      if (newline >= 0) {
        Line line = decode(pos, newline);
        consumed += newline + 1 - pos;
        pos = newline + 1;
        return Optional.of(line);
      }
      scanned = limit;
      if (eof) {
        if (pos == limit) {
          return Optional.empty();
        }
        Line line = decode(pos, limit);
        consumed += limit - pos;
        pos = limit;
        return Optional.of(line);
      }
      if (limit - pos > maxBytes + 1L) { // + 1: a line of maxBytes may wait for \n after \r
        return Optional.of(skipLongLine());
      }
      scanned -= pos;
      fill();
      scanned += pos;
    }
  }

  private Line decode(int from, int to) {
    number++;
    int end = to > from && buffer[to - 1] == '\r' ? to - 1 : to;
    boolean ascii = true;
    for (int i = from; i < end && ascii; i++) {
      ascii = buffer[i] >= 0;
    }
    if (ascii) {
      return new Text(number, new String(buffer, from, end - from, StandardCharsets.ISO_8859_1));
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(buffer, from, end - from))
              .toString();
      return new Text(number, text);
    } catch (CharacterCodingException e) {
      return new NotUtf8(number, new String(buffer, from, end - from, StandardCharsets.UTF_8));
    }
  }

  // The line at pos is past the bound: keep its start and read on to its end without holding it.
  private Line skipLongLine() throws IOException {
    number++;
    String start = new String(buffer, pos, Math.min(KEPT, limit - pos), StandardCharsets.UTF_8);
    long length = 0;
    while (true) {
      int newline = indexOf(pos, limit);
      if (newline >= 0) {
        length += newline - pos;
        consumed += length + 1;
        pos = newline + 1;
        return new TooLong(number, length, start);
      }
      length += limit - pos;
      pos = limit;
      if (eof) {
        consumed += length;
        return new TooLong(number, length, start);
      }
      fill();
    }
  }

  // Moves unread bytes to the front, grows the buffer up to the bound, reads more.
  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes + 2L, 2L * buffer.length));
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  private int indexOf(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
