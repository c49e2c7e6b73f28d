package dev.beamattention.read;

import dev.beamattention.json.ParsedLine;
import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn.MultiOutputReceiver;

/**
 * What happens to one input line, given as text or as UTF-8 bytes: blank lines are counted and
 * skipped, every other line becomes a {@link Sentence}, a {@link PendingSentence} or a {@link
 * ErrorRecord}, and is counted. Shared by {@link ParseSentences} and {@link ReadSentences}, so both
 * report the same counts.
 */
final class LineHandler implements Serializable {
  private static final long serialVersionUID = 1L;
  // An error record keeps 10,000 chars at most; no UTF-16 char takes more than 3 UTF-8 bytes.
  private static final int MAX_KEPT_BYTES = 3 * ErrorRecord.MAX_INPUT_CHARS + 4;

  private final Counter sentencesRead =
      Metrics.counter(ReadSentences.class, ReadSentences.SENTENCES_READ);
  private final Counter blankLines =
      Metrics.counter(ReadSentences.class, ReadSentences.BLANK_LINES);
  private final Counter malformed =
      Metrics.counter(ReadSentences.class, ReadSentences.MALFORMED_LINES);
  private final Counter inputBytes =
      Metrics.counter(ReadSentences.class, ReadSentences.INPUT_BYTES);
  private final Counter widthMismatches =
      Metrics.counter(ReadSentences.class, ReadSentences.WIDTH_MISMATCHES);

  private final SentenceParser parser;
  private final int maxLineBytes;
  private final boolean tokensSuffice;

  LineHandler(SentenceParser parser, int maxLineBytes, boolean tokensSuffice) {
    this.parser = parser;
    this.maxLineBytes = maxLineBytes;
    this.tokensSuffice = tokensSuffice;
  }

  int maxLineBytes() {
    return maxLineBytes;
  }

  /** A line as text, from the file {@code source} where known. */
  void handle(String line, Optional<String> source, MultiOutputReceiver out) {
    if (line.isBlank()) {
      blankLines.inc();
      return;
    }
    sentencesRead.inc();
    try {
      // A UTF-16 char takes at most 3 UTF-8 bytes: only long lines need counting.
      if ((long) line.length() * 3 > maxLineBytes) {
        int bytes = line.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxLineBytes) {
          throw tooLong(bytes);
        }
      }
      emit(parser.parseRecord(line, tokensSuffice), source, out);
    } catch (BadRecordException e) {
      refused(e.kind());
      out.get(ErrorRecord.TAG).output(ErrorRecord.of(e, line, source));
    }
  }

  /** A line as UTF-8 bytes {@code bytes[offset, offset + length)}, not modified. */
  void handle(byte[] bytes, int offset, int length, String source, MultiOutputReceiver out) {
    inputBytes.inc(length + 1L);
    if (isBlank(bytes, offset, length)) {
      blankLines.inc();
      return;
    }
    sentencesRead.inc();
    try {
      if (length > maxLineBytes) {
        throw tooLong(length);
      }
      emit(parser.parseRecord(bytes, offset, length, tokensSuffice), Optional.of(source), out);
    } catch (BadRecordException e) {
      refused(e.kind());
      String input =
          new String(bytes, offset, Math.min(length, MAX_KEPT_BYTES), StandardCharsets.UTF_8);
      out.get(ErrorRecord.TAG).output(ErrorRecord.of(e, input, Optional.of(source)));
    }
  }

  /**
   * A line longer than {@link #maxLineBytes()}, of which only the start was kept: an error record
   * of its own, without parsing.
   */
  void tooLong(
      byte[] start,
      int offset,
      int keptLength,
      long length,
      String source,
      MultiOutputReceiver out) {
    inputBytes.inc(length + 1);
    sentencesRead.inc();
    malformed.inc();
    String input =
        new String(start, offset, Math.min(keptLength, MAX_KEPT_BYTES), StandardCharsets.UTF_8);
    out.get(ErrorRecord.TAG).output(ErrorRecord.of(tooLong(length), input, Optional.of(source)));
  }

  /**
   * A file that broke while it was read whole: the lines before the break were handled, and the
   * bytes read of the line it broke in, {@code partial[0, length)}, become one error record that
   * says where, counted as a line read and refused, so the counts still add up.
   *
   * @param line the number of the line it broke in, from 1
   * @param offset the byte offset of the break in the file's (decompressed) bytes
   */
  void broken(
      byte[] partial,
      int from,
      int length,
      String source,
      long line,
      long offset,
      IOException cause,
      MultiOutputReceiver out) {
    inputBytes.inc(length);
    sentencesRead.inc();
    malformed.inc();
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    String input =
        new String(partial, from, Math.min(length, MAX_KEPT_BYTES), StandardCharsets.UTF_8);
    out.get(ErrorRecord.TAG)
        .output(
            ErrorRecord.of(
                ErrorKind.BROKEN_FILE,
                "the file cannot be read past line "
                    + line
                    + ", byte "
                    + offset
                    + " of its text ("
                    + message
                    + "); the lines before it were read",
                input,
                source));
  }

  private BadRecordException tooLong(long bytes) {
    return new BadRecordException(
        ErrorKind.TOO_LARGE,
        "line has " + bytes + " bytes, more than --maxLineBytes=" + maxLineBytes);
  }

  // A width that does not fit the weights is the run's problem, not the line's: counted apart.
  private void refused(ErrorKind kind) {
    (kind == ErrorKind.WIDTH ? widthMismatches : malformed).inc();
  }

  private static void emit(ParsedLine line, Optional<String> source, MultiOutputReceiver out) {
    if (line instanceof ParsedLine.Embedded embedded) {
      out.get(ReadSentences.SENTENCES).output(embedded.sentence());
    } else if (line instanceof ParsedLine.TokensOnly tokensOnly) {
      PendingSentence pending = tokensOnly.pending();
      out.get(ReadSentences.PENDING).output(source.map(pending::from).orElse(pending));
    }
  }

  // Blank as String.isBlank says, as for lines given as text. Every non-ASCII space starts with
  // the UTF-8 lead byte E1, E2 or E3, so only a line of spaces and such characters is decoded.
  private static boolean isBlank(byte[] bytes, int offset, int length) {
    boolean nonAscii = false;
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b < 0) {
        int u = b & 0xff;
        if (u >= 0xc0 && (u < 0xe1 || u > 0xe3)) {
          return false;
        }
        nonAscii = true;
      } else if (b != ' '
          && b != '\t'
          && b != '\r'
          && b != '\f'
          && b != 0x0b
          && b != '\n'
          && (b < 0x1c || b > 0x1f)) {
        return false;
      }
    }
    return !nonAscii || new String(bytes, offset, length, StandardCharsets.UTF_8).isBlank();
  }
}
