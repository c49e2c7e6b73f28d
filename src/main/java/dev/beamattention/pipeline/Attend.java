package dev.beamattention.pipeline;

import dev.beamattention.core.AttentionResult;
import dev.beamattention.core.MultiHeadAttention;
import dev.beamattention.core.Scale;
import java.io.IOException;
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
 * #ATTENDED}, and on {@link Failures#TAG} the sentences that do not fit the weights or overflow.
 *
 * <pre>{@code
 * PCollectionTuple out = sentences.apply("Attend",
 *     Attend.with(WeightsSource.file("gs://bucket/w.npz", 8)).withScale(Scale.auto()));
 * }</pre>
 */
public final class Attend extends PTransform<PCollection<Sentence>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<AttendedSentence> ATTENDED =
      new TupleTag<AttendedSentence>("attended") {};

  private final WeightsSource weights;
  private final Scale scale;
  private final boolean causal;
  private final AttentionMode mode;

  private Attend(WeightsSource weights, Scale scale, boolean causal, AttentionMode mode) {
    super("Attend");
    this.weights = Objects.requireNonNull(weights);
    this.scale = Objects.requireNonNull(scale);
    this.causal = causal;
    this.mode = Objects.requireNonNull(mode);
  }

  /** Attention with these weights, scale auto, no mask, every head's weights kept. */
  public static Attend with(WeightsSource weights) {
    return new Attend(weights, Scale.auto(), false, AttentionMode.HEADS);
  }

  public Attend withScale(Scale scale) {
    return new Attend(weights, scale, causal, mode);
  }

  public Attend withCausal(boolean causal) {
    return new Attend(weights, scale, causal, mode);
  }

  /** Which weights the outputs keep: every head, their mean, or none. */
  public Attend withAttention(AttentionMode mode) {
    return new Attend(weights, scale, causal, mode);
  }

  @Override
  public PCollectionTuple expand(PCollection<Sentence> sentences) {
    PCollectionTuple out =
        sentences.apply(
            "AttendEach",
            ParDo.of(new AttendFn(weights, scale, causal, mode))
                .withOutputTags(ATTENDED, TupleTagList.of(Failures.TAG)));
    out.get(ATTENDED).setCoder(AttendedSentenceCoder.of());
    out.get(Failures.TAG).setCoder(FailureCoder.of());
    return out;
  }

  /** Runs the numeric core on one sentence. */
  static final class AttendFn extends DoFn<Sentence, AttendedSentence> {
    private static final long serialVersionUID = 1L;

    private final Counter attentionFailures = Metrics.counter(AttendFn.class, "attentionFailures");
    private final Counter tokens = Metrics.counter(AttendFn.class, "tokens");
    private final Distribution sentenceLength = Metrics.distribution(AttendFn.class, "sentenceLength");

    private final WeightsSource weights;
    private final Scale scale;
    private final boolean causal;
    private final AttentionMode mode;
    private transient MultiHeadAttention kernel;

    AttendFn(WeightsSource weights, Scale scale, boolean causal, AttentionMode mode) {
      this.weights = weights;
      this.scale = scale;
      this.causal = causal;
      this.mode = mode;
    }

    @Setup
    public void setup() {
      // Each instance reads the weights itself: a runner makes only a few instances per worker,
      // and a shared cache could serve stale weights after the file at a path changed.
      try {
        kernel = new MultiHeadAttention(weights.load(), scale, causal);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read weights " + weights.describe(), e);
      }
    }

    @ProcessElement
    public void process(@Element Sentence sentence, MultiOutputReceiver out) {
      AttentionResult result;
      try {
        result = kernel.apply(sentence.embeddings());
      } catch (IllegalArgumentException | ArithmeticException e) {
        attentionFailures.inc();
        out.get(Failures.TAG).output(new Failure(e.getMessage(), JsonLines.sentence(sentence)));
        return;
      }
      tokens.inc(sentence.length());
      sentenceLength.update(sentence.length());
      out.get(ATTENDED)
          .output(
              new AttendedSentence(
                  sentence.id(), sentence.tokens(), result.outputRows(), kept(result)));
    }

    private double[][][] kept(AttentionResult result) {
      switch (mode) {
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
