package dev.beamattention.embed;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashSet;
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
   * Reads every line.
   *
   * @param expectedDim the width vectors must have, or 0 to take it from the header or first row
   * @return the width of the table's vectors (0 if it has no usable row)
   */
  public static int read(BufferedReader reader, int expectedDim, Sink sink) throws IOException {
    int dim = expectedDim;
    Set<String> seen = new HashSet<>();
    long number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      if (line.isBlank()) {
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
    return dim;
  }

  /**
   * The width of the table's vectors, by the rule {@link #read} applies: the header's second count,
   * or the number of values in the first row that has any; empty when there is neither.
   */
  public static OptionalInt width(BufferedReader reader) throws IOException {
    long number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      String[] parts = split(line);
      OptionalInt header = headerWidth(number, parts);
      if (header.isPresent()) {
        return header;
      }
      if (parts.length > 1) {
        return OptionalInt.of(parts.length - 1);
      }
    }
    return OptionalInt.empty();
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
