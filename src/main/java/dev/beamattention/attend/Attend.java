package dev.beamattention.attend;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionResult;
import dev.beamattention.core.MultiHeadAttention;
import dev.beamattention.core.Scale;
import dev.beamattention.json.JsonLines;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.AttendedSentenceCoder;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.ErrorRecordCoder;
import dev.beamattention.record.KeptAttention;
import dev.beamattention.record.Sentence;
import dev.beamattention.record.SentenceWeights;
import dev.beamattention.record.SentenceWeightsCoder;
import dev.beamattention.weights.WeightsSource;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Multi-head self-attention on every {@link Sentence}: {@link AttendedSentence}s on {@link
 * #ATTENDED}, and on {@link ErrorRecord#TAG} the sentences that do not fit the weights or overflow.
 * {@link #withHeadWeights()} adds every head's weights of each sentence on {@link #HEAD_WEIGHTS},
 * whatever the attended sentences keep.
 *
 * <pre>{@code
 * PCollectionTuple out = sentences.apply("Attend",
 *     Attend.with(WeightsSource.file("gs://bucket/w.npz", 8)).withScale(Scale.auto()));
 * }</pre>
 */
public final class Attend extends PTransform<PCollection<Sentence>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** The sentences with their contextual vectors and kept attention maps. */
  public static final TupleTag<AttendedSentence> ATTENDED =
      new TupleTag<AttendedSentence>("attended") {};

  /** With {@link #withHeadWeights()}: every head's weights of each sentence attended. */
  public static final TupleTag<SentenceWeights> HEAD_WEIGHTS =
      new TupleTag<SentenceWeights>("headWeights") {};

  /** Counter: sentences refused here (they do not fit the weights, or overflow). */
  public static final String ATTENTION_FAILURES = "attentionFailures";

  /** Counter: tokens of the sentences attended. */
  public static final String TOKENS = "tokens";

  /** Distribution: tokens per sentence attended. */
  public static final String SENTENCE_LENGTH = "sentenceLength";

  /** The default of {@link #withMaxCells}: 2^24 attention weights, 128 MiB of doubles. */
  public static final long DEFAULT_MAX_CELLS = 1L << 24;

  /** Everything Attend is set up with; the DoFn carries the same. */
  record Settings(
      WeightsSource weights,
      Scale scale,
      boolean causal,
      KeptAttention kept,
      boolean headWeights,
      long maxCells)
      implements Serializable {
    Settings {
      Objects.requireNonNull(weights);
      Objects.requireNonNull(scale);
      Objects.requireNonNull(kept);
    }
  }

  private final Settings settings;

  private Attend(Settings settings) {
    super("Attend");
    this.settings = settings;
  }

  /** Attention with these weights, scale auto, no mask, every head's map kept. */
  public static Attend with(WeightsSource weights) {
    return new Attend(
        new Settings(weights, Scale.auto(), false, KeptAttention.HEADS, false, DEFAULT_MAX_CELLS));
  }

  public Attend withScale(Scale scale) {
    Settings s = settings;
    return new Attend(
        new Settings(s.weights(), scale, s.causal(), s.kept(), s.headWeights(), s.maxCells()));
  }

  /** With a causal mask: token r attends only to tokens 0..r. */
  public Attend withCausal(boolean causal) {
    Settings s = settings;
    return new Attend(
        new Settings(s.weights(), s.scale(), causal, s.kept(), s.headWeights(), s.maxCells()));
  }

  /** Which attention maps the outputs keep: every head's, their mean, or none. */
  public Attend keeping(KeptAttention kept) {
    Settings s = settings;
    return new Attend(
        new Settings(s.weights(), s.scale(), s.causal(), kept, s.headWeights(), s.maxCells()));
  }

  /** Also outputs every head's weights of each sentence on {@link #HEAD_WEIGHTS}. */
  public Attend withHeadWeights() {
    Settings s = settings;
    return new Attend(
        new Settings(s.weights(), s.scale(), s.causal(), s.kept(), true, s.maxCells()));
  }

  /**
   * Refuses, as error records, sentences whose attention maps would hold more than {@code cells}
   * weights (n x n x heads), before any of it is computed or held.
   */
  public Attend withMaxCells(long cells) {
    Settings s = settings;
    return new Attend(
        new Settings(s.weights(), s.scale(), s.causal(), s.kept(), s.headWeights(), cells));
  }

  @Override
  public PCollectionTuple expand(PCollection<Sentence> sentences) {
    PCollectionTuple out =
        sentences.apply(
            "AttendEach",
            ParDo.of(new AttendFn(settings))
                .withOutputTags(
                    ATTENDED,
                    settings.headWeights()
                        ? TupleTagList.of(ErrorRecord.TAG).and(HEAD_WEIGHTS)
                        : TupleTagList.of(ErrorRecord.TAG)));
    out.get(ATTENDED).setCoder(AttendedSentenceCoder.of());
    out.get(ErrorRecord.TAG).setCoder(ErrorRecordCoder.of());
    if (settings.headWeights()) {
      out.get(HEAD_WEIGHTS).setCoder(SentenceWeightsCoder.of());
    }
    return out;
  }

  /** Runs the numeric core on one sentence. */
  static final class AttendFn extends DoFn<Sentence, AttendedSentence> {
    private static final long serialVersionUID = 1L;

    private final Counter attentionFailures = Metrics.counter(Attend.class, ATTENTION_FAILURES);
    private final Counter tokens = Metrics.counter(Attend.class, TOKENS);
    private final Distribution sentenceLength = Metrics.distribution(Attend.class, SENTENCE_LENGTH);

    private final Settings settings;
    private transient MultiHeadAttention kernel;
    private transient int heads;

    AttendFn(Settings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() {
      // Each instance reads the weights itself: a runner makes only a few instances per worker,
      // and a shared cache could serve stale weights after the file at a path changed.
      try {
        AttentionParameters parameters = settings.weights().load();
        heads = parameters.heads();
        kernel = new MultiHeadAttention(parameters, settings.scale(), settings.causal());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read weights " + settings.weights().describe(), e);
      }
    }

    @ProcessElement
    public void process(@Element Sentence sentence, MultiOutputReceiver out) {
      long n = sentence.length();
      if (n * n * heads > settings.maxCells()) {
        attentionFailures.inc();
        out.get(ErrorRecord.TAG)
            .output(
                ErrorRecord.withoutSource(
                    ErrorKind.TOO_LARGE,
                    "a sentence of "
                        + n
                        + " tokens needs "
                        + n
                        + " x "
                        + n
                        + " x "
                        + heads
                        + " attention weights, more than --maxAttentionCells="
                        + settings.maxCells(),
                    JsonLines.sentence(sentence)));
        return;
      }
      AttentionResult result;
      try {
        result = kernel.apply(sentence.embeddings());
      } catch (IllegalArgumentException | ArithmeticException e) {
        attentionFailures.inc();
        // The raw line is not kept past parsing: the record shows the sentence as parsed.
        out.get(ErrorRecord.TAG)
            .output(
                ErrorRecord.withoutSource(
                    e instanceof ArithmeticException ? ErrorKind.ATTENTION : ErrorKind.WIDTH,
                    e.getMessage(),
                    JsonLines.sentence(sentence)));
        return;
      }
      tokens.inc(sentence.length());
      sentenceLength.update(sentence.length());
      out.get(ATTENDED)
          .output(
              new AttendedSentence(
                  sentence.id(), sentence.tokens(), result.outputRows(), keptMaps(result)));
      if (settings.headWeights()) {
        out.get(HEAD_WEIGHTS)
            .output(new SentenceWeights(sentence.id(), sentence.tokens(), result.weightRows()));
      }
    }

    private double[][][] keptMaps(AttentionResult result) {
      switch (settings.kept()) {
        case HEADS:
          return result.weightRows();
        case MEAN:
          return new double[][][] {result.meanWeights()};
        default:
          return new double[0][][];
      }
    }
  }
}
