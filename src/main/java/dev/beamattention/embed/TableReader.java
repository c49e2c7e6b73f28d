package dev.beamattention.embed;

import dev.beamattention.core.Limits;
import dev.beamattention.files.LineReader;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a word-vector table in GloVe text form (a token, then d numbers, per line) or word2vec /
 * fastText {@code .vec} text form (the same after a first line "count dim"), line by line, so that
 * every problem can name its line. The first row of a token wins; later ones are reported as
 * duplicates. Knows nothing of Beam.
 */
public final class TableReader {
  /** Receives rows and problems as they are read. */
  public interface Sink {
    void row(String token, double[] vector) throws IOException;

    /** A line that was not used, and why; {@code line} counts from 1. */
    void problem(long line, String reason, String text) throws IOException;
  }

  private TableReader() {}

  /**
   * Reads every line. A line that is not UTF-8, longer than {@link Limits#MAX_TABLE_LINE_BYTES} or
   * wider than {@link Limits#MAX_D_MODEL} is a problem like any other bad row; a file that breaks
   * part way (a truncated or corrupt {@code .gz}) keeps the rows before the break and ends with one
   * problem at the line where it broke.
   *
   * @param expectedDim the width vectors must have, or 0 to take it from the header or first row
   * @return the width of the table's vectors (0 if it has no usable row)
   * @throws IOException only when the sink throws it
   */
  public static int read(LineReader lines, int expectedDim, Sink sink) throws IOException {
    int dim = expectedDim;
    Set<String> seen = new HashSet<>();
    while (true) {
      Optional<LineReader.Line> next;
      try {
        next = lines.next();
      } catch (IOException e) {
        sink.problem(
            lines.lines() + 1,
            "the file breaks here, "
                + lines.offset()
                + " bytes in ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                + "); the rows before were read",
            "");
        return dim;
      }
      if (next.isEmpty()) {
        return dim;
      }
      long number = next.get().number();
      String line;
      if (next.get() instanceof LineReader.TooLong tooLong) {
        sink.problem(
            number,
            "line of "
                + tooLong.bytes()
                + " bytes, more than the "
                + Limits.MAX_TABLE_LINE_BYTES
                + " a table line may have",
            tooLong.start());
        continue;
      } else if (next.get() instanceof LineReader.NotUtf8 notUtf8) {
        sink.problem(number, "not valid UTF-8", notUtf8.lossy());
        continue;
      } else {
        line = ((LineReader.Text) next.get()).text();
      }
      if (line.isBlank()) {
        continue;
      }
      int fields = fields(line);
      if (fields - 1 > Limits.MAX_D_MODEL) {
        sink.problem(
            number,
            "a row of "
                + (fields - 1)
                + " values, more than the "
                + Limits.MAX_D_MODEL
                + " d_model allows",
            line);
        continue;
      }
      String[] parts = split(line);
      OptionalInt header = headerWidth(number, parts);
      if (header.isPresent()) {
        if (dim == 0) {
          dim = header.getAsInt();
        } else if (header.getAsInt() != dim) {
          sink.problem(
              number, "header says " + header.getAsInt() + " dimensions, expected " + dim, line);
        }
        continue;
      }
      int values = parts.length - 1;
      if (values < 1) {
        sink.problem(number, "a token with no values", line);
        continue;
      }
      if (dim == 0) {
        dim = values;
      }
      if (values != dim) {
        sink.problem(number, "'" + parts[0] + "' has " + values + " values, expected " + dim, line);
        continue;
      }
      double[] vector = new double[dim];
      String bad = null;
      for (int i = 0; i < dim && bad == null; i++) {
        try {
          vector[i] = Double.parseDouble(parts[i + 1]);
          if (!Double.isFinite(vector[i])) {
            bad = "value " + i + " of '" + parts[0] + "' is " + parts[i + 1] + ", not finite";
          }
        } catch (NumberFormatException e) {
          bad = "value " + i + " of '" + parts[0] + "' is not a number: " + parts[i + 1];
        }
      }
      if (bad != null) {
        sink.problem(number, bad, line);
      } else if (!seen.add(parts[0])) {
        sink.problem(number, "duplicate token '" + parts[0] + "': the first row wins", line);
      } else {
        sink.row(parts[0], vector);
      }
    }
  }

  /**
   * The width of the table's vectors, by the rule {@link #read} applies: the header's second count,
   * or the number of values in the first row that has any; empty when there is neither.
   *
   * @throws IOException when the file breaks before such a row, or that row is longer than {@link
   *     Limits#MAX_TABLE_LINE_BYTES} or wider than {@link Limits#MAX_D_MODEL}, naming its line
   */
  public static OptionalInt width(LineReader lines) throws IOException {
    for (Optional<LineReader.Line> next = lines.next(); next.isPresent(); next = lines.next()) {
      LineReader.Line l = next.get();
      if (l instanceof LineReader.TooLong tooLong) {
        throw new IOException(
            "line "
                + l.number()
                + " has "
                + tooLong.bytes()
                + " bytes, more than the "
                + Limits.MAX_TABLE_LINE_BYTES
                + " a table line may have");
      }
      if (!(l instanceof LineReader.Text text) || text.text().isBlank()) {
        continue; // a row that is not UTF-8 becomes a problem when the table is read
      }
      int fields = fields(text.text());
      if (fields - 1 > Limits.MAX_D_MODEL) {
        throw new IOException(
            "line "
                + l.number()
                + " has "
                + (fields - 1)
                + " values, more than the "
                + Limits.MAX_D_MODEL
                + " d_model allows");
      }
      String[] parts = split(text.text());
      OptionalInt header = headerWidth(l.number(), parts);
      if (header.isPresent()) {
        if (header.getAsInt() > Limits.MAX_D_MODEL) {
          throw new IOException(
              "its header claims "
                  + header.getAsInt()
                  + " dimensions, more than the "
                  + Limits.MAX_D_MODEL
                  + " d_model allows");
        }
        return header;
      }
      if (parts.length > 1) {
        return OptionalInt.of(parts.length - 1);
      }
    }
    return OptionalInt.empty();
  }

  // Fields separated by spaces and tabs, counted without splitting: a row of millions of values
  // is refused before it becomes millions of strings.
  private static int fields(String line) {
    int n = 0;
    boolean inField = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      boolean space = c == ' ' || c == '\t';
      if (!space && !inField) {
        n++;
      }
      inField = !space;
    }
    return n;
  }

  private static String[] split(String line) {
    return line.trim().split("[ \\t]+");
  }

  // word2vec and fastText start with "count dim" on the first line.
  private static OptionalInt headerWidth(long number, String[] parts) {
    if (number == 1 && parts.length == 2 && isCount(parts[0]) && isCount(parts[1])) {
      return OptionalInt.of(Integer.parseInt(parts[1]));
    }
    return OptionalInt.empty();
  }

  private static boolean isCount(String s) {
    if (s.isEmpty() || s.length() > 9) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
