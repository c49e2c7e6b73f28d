package dev.beamattention.read;

import dev.beamattention.json.SentenceParser;
import dev.beamattention.parquet.RowParser;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.Sentence;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * JSON Lines records to {@link Sentence}s ({@link #SENTENCES}) and error records ({@link
 * Failures#TAG}), and with {@link #withTableLookups()} token-only records ({@link #PENDING}). Blank
 * lines are skipped; every other line lands in exactly one output.
 */
public final class ParseSentences extends PTransform<PCollection<String>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  private final int expectedWidth;
  private final int maxTokens;
  private final int maxLineBytes;
  private final boolean tokensSuffice;

  private ParseSentences(
      int expectedWidth, int maxTokens, int maxLineBytes, boolean tokensSuffice) {
    super("ParseSentences");
    this.expectedWidth = expectedWidth;
    this.maxTokens = maxTokens;
    this.maxLineBytes = maxLineBytes;
    this.tokensSuffice = tokensSuffice;
  }

  /** Any width of embeddings, at most 4096 tokens and 16 MiB a line. */
  public static ParseSentences create() {
    return new ParseSentences(0, 4096, 16 * 1024 * 1024, false);
  }

  /** Lines whose embeddings are not {@code dModel} wide become error records here already. */
  public ParseSentences withExpectedWidth(int dModel) {
    return new ParseSentences(dModel, maxTokens, maxLineBytes, tokensSuffice);
  }

  public ParseSentences withMaxTokens(int max) {
    return new ParseSentences(expectedWidth, max, maxLineBytes, tokensSuffice);
  }

  public ParseSentences withMaxLineBytes(int max) {
    return new ParseSentences(expectedWidth, maxTokens, max, tokensSuffice);
  }

  /** Lines without embeddings go to {@link ReadSentences#PENDING}, not to error records. */
  public ParseSentences withTableLookups() {
    return new ParseSentences(expectedWidth, maxTokens, maxLineBytes, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple out =
        lines.apply(
            "Parse",
            ParDo.of(new ParseSentencesFn(lineHandler()))
                .withOutputTags(ReadSentences.SENTENCES, ReadSentences.OTHER_OUTPUTS));
    return ReadSentences.withCoders(out);
  }

  /** What each line becomes, with these settings; {@link ReadSentences} shares it. */
  LineHandler lineHandler() {
    return new LineHandler(
        new SentenceParser(expectedWidth, maxTokens), maxLineBytes, tokensSuffice);
  }

  /** What each Parquet row becomes, with these settings ({@code --maxLineBytes} aside). */
  RowParser rowParser() {
    return new RowParser(expectedWidth, maxTokens);
  }

  /** Whether sentences without embeddings wait for a table's vectors. */
  boolean tokensSuffice() {
    return tokensSuffice;
  }

  /** Parses one line; a line that cannot be used is emitted as a {@link ErrorRecord}. */
  static final class ParseSentencesFn extends DoFn<String, Sentence> {
    private static final long serialVersionUID = 1L;

    private final LineHandler lines;

    ParseSentencesFn(LineHandler lines) {
      this.lines = lines;
    }

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      lines.handle(line, Optional.empty(), out); // TextIO does not say which file a line is from
    }
  }
}
