package dev.beamattention.read;

import dev.beamattention.files.InputFiles;
import dev.beamattention.files.LineReader;
import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.BadRecordException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.beam.sdk.io.fs.MatchResult;

/** Looks at the input before the pipeline runs, for what the weights must fit. */
public final class InputPeek {
  private InputPeek() {}

  /**
   * d_model of the first usable sentence, reading the files in the order given and at most {@code
   * maxLines} non-blank lines in all; empty when none of those lines is usable. Lines longer than
   * {@code maxLineBytes} are passed over unheld, and a file that breaks part way is left at the
   * break: the pipeline makes error records of both.
   */
  public static OptionalInt firstWidth(
      List<MatchResult.Metadata> files, int maxTokens, int maxLineBytes, int maxLines)
      throws IOException {
    SentenceParser parser = new SentenceParser(0, maxTokens);
    int seen = 0;
    for (MatchResult.Metadata file : files) {
      try (LineReader lines = InputFiles.lines(file.resourceId(), maxLineBytes)) {
        for (Optional<LineReader.Line> next = lines.next();
            next.isPresent() && seen < maxLines;
            next = lines.next()) {
          if (!(next.get() instanceof LineReader.Text text)) {
            seen++;
            continue;
          }
          String line = text.text();
          if (line.isBlank()) {
            continue;
          }
          seen++;
          try {
            return OptionalInt.of(parser.parse(line).embeddings()[0].length);
          } catch (BadRecordException e) {
            // Bad lines become error records later; keep looking for a good one.
          }
        }
      } catch (IOException e) {
        // A file that breaks is the pipeline's to report, with its name; try the next.
      }
    }
    return OptionalInt.empty();
  }
}
