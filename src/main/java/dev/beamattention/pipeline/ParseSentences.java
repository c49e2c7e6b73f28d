package dev.beamattention.pipeline;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * JSON Lines records to {@link Sentence}s ({@link #SENTENCES}) and error records ({@link
 * Failures#TAG}), and with {@link #withTableLookups()} token-only records ({@link #PENDING}).
 * Blank lines are skipped; every other line lands in exactly one output.
 */
public final class ParseSentences extends PTransform<PCollection<String>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<Sentence> SENTENCES = new TupleTag<Sentence>("sentences") {};

  /** Sentences of tokens only, when {@link #withTableLookups()} lets them wait for a table. */
  public static final TupleTag<PendingSentence> PENDING = new TupleTag<PendingSentence>("pending") {};

  private final int expectedWidth;
  private final int maxTokens;
  private final int maxLineBytes;
  private final boolean tokensSuffice;

  private ParseSentences(int expectedWidth, int maxTokens, int maxLineBytes, boolean tokensSuffice) {
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

  /** Lines without embeddings go to {@link #PENDING} instead of becoming error records. */
  public ParseSentences withTableLookups() {
    return new ParseSentences(expectedWidth, maxTokens, maxLineBytes, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple out =
        lines.apply(
            "Parse",
            ParDo.of(new ParseSentencesFn(lineHandler()))
                .withOutputTags(SENTENCES, TupleTagList.of(Failures.TAG).and(PENDING)));
    out.get(SENTENCES).setCoder(SentenceCoder.of());
    out.get(PENDING).setCoder(PendingSentence.Coder.of());
    out.get(Failures.TAG).setCoder(FailureCoder.of());
    return out;
  }

  /** What each line becomes, with these settings; {@link ReadSentences} shares it. */
  LineHandler lineHandler() {
    return new LineHandler(new SentenceParser(expectedWidth, maxTokens), maxLineBytes, tokensSuffice);
  }

  /** Parses one line; a line that cannot be used is emitted as a {@link Failure}. */
  static final class ParseSentencesFn extends DoFn<String, Sentence> {
    private static final long serialVersionUID = 1L;

    private final LineHandler lines;

    ParseSentencesFn(LineHandler lines) {
      this.lines = lines;
    }

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      lines.handle(line, null, out);
    }
  }
}
