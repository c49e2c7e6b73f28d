package dev.beamattention.embed;

import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.DoubleArrayCoder;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.ErrorRecordCoder;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import dev.beamattention.record.SentenceCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Gives sentences of tokens their vectors from a word-vector table: {@link
 * ParseSentences#SENTENCES} out, with {@link Failures#TAG} for sentences the {@link OovPolicy}
 * refuses and {@link ReadEmbeddingTable#PROBLEMS} for the table's unusable lines.
 *
 * <p>Two ways, with the same results: {@link Join#SIDE} hands the whole table to every worker as
 * one compact side input; {@link Join#SHUFFLE} joins by token through CoGroupByKey and regroups
 * each sentence in token order, for tables too large for a worker's memory.
 */
public final class EmbedSentences
    extends PTransform<PCollection<PendingSentence>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Sentences with their vectors. */
  public static final TupleTag<Sentence> EMBEDDED = new TupleTag<Sentence>("embedded") {};

  /** The table's unusable lines, with file and line number. */
  public static final TupleTag<ErrorRecord> TABLE_ERRORS =
      new TupleTag<ErrorRecord>("tableErrors") {};

  /** Counter: tokens the table lacks. */
  public static final String UNKNOWN_TOKENS = "unknownTokens";

  /** Counter: table rows read and used. */
  public static final String TABLE_ROWS = "tableRows";

  /** Counter: table lines not used, each an error record on {@link #TABLE_ERRORS}. */
  public static final String TABLE_PROBLEMS = "tableProblems";

  /** How tokens meet their vectors. */
  public enum Join {
    /** The whole table on every worker, as one side input. */
    SIDE,
    /** A join by token through a shuffle, for tables larger than a worker's memory. */
    SHUFFLE
  }

  /**
   * Where the vectors come from and how they are used.
   *
   * @param table the table's file or glob
   * @param dim the width of its vectors
   * @param lowercase whether tokens are looked up lowercased (outputs keep them as given)
   */
  public record Lookup(String table, int dim, Join join, OovPolicy oov, boolean lowercase)
      implements Serializable {}

  private final String table;
  private final int dim;
  private final Join join;
  private final OovPolicy oov;
  private final boolean lowercase;

  private EmbedSentences(Lookup lookup) {
    super("EmbedSentences");
    this.table = lookup.table();
    this.dim = lookup.dim();
    this.join = lookup.join();
    this.oov = lookup.oov();
    this.lowercase = lookup.lowercase();
  }

  /** Vectors for pending sentences as {@code lookup} says. */
  public static EmbedSentences with(Lookup lookup) {
    return new EmbedSentences(lookup);
  }

  @Override
  public PCollectionTuple expand(PCollection<PendingSentence> pending) {
    PCollectionTuple rows = pending.getPipeline().apply(new ReadEmbeddingTable(table, dim));
    PCollection<KV<String, double[]>> vectors = rows.get(ReadEmbeddingTable.VECTORS);
    PCollectionTuple out =
        join == Join.SIDE ? viaSideInput(pending, vectors) : viaShuffle(pending, vectors);
    out.get(EMBEDDED).setCoder(SentenceCoder.of());
    out.get(ErrorRecord.TAG).setCoder(ErrorRecordCoder.of());
    return out.and(TABLE_ERRORS, rows.get(TABLE_ERRORS));
  }

  private PCollectionTuple viaSideInput(
      PCollection<PendingSentence> pending, PCollection<KV<String, double[]>> vectors) {
    PCollectionView<EmbeddingTable> view =
        vectors.apply("CollectTable", Combine.globally(new BuildTableFn(dim)).asSingletonView());
    return pending.apply(
        "LookUp",
        ParDo.of(new LookUpFn(view, dim, oov, lowercase))
            .withSideInputs(view)
            .withOutputTags(EMBEDDED, TupleTagList.of(ErrorRecord.TAG)));
  }

  private PCollectionTuple viaShuffle(
      PCollection<PendingSentence> pending, PCollection<KV<String, double[]>> vectors) {
    TupleTag<KV<String, PendingSentence>> records = new TupleTag<>("records");
    TupleTag<KV<String, KV<String, Integer>>> requests = new TupleTag<>("requests");
    PCollectionTuple keyed =
        pending.apply(
            "Key",
            ParDo.of(new KeyFn(records, requests, lowercase))
                .withOutputTags(records, TupleTagList.of(requests)));
    keyed.get(records).setCoder(KvCoder.of(StringUtf8Coder.of(), PendingSentence.Coder.of()));
    keyed
        .get(requests)
        .setCoder(
            KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())));

    TupleTag<double[]> vectorTag = new TupleTag<>("vector");
    TupleTag<KV<String, Integer>> requestTag = new TupleTag<>("request");
    PCollection<KV<String, KV<Integer, double[]>>> answers =
        KeyedPCollectionTuple.of(vectorTag, vectors)
            .and(requestTag, keyed.get(requests))
            .apply("JoinByToken", CoGroupByKey.create())
            .apply("Answer", ParDo.of(new AnswerFn(vectorTag, requestTag)))
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(),
                    KvCoder.of(VarIntCoder.of(), NullableCoder.of(DoubleArrayCoder.of()))));

    TupleTag<PendingSentence> recordTag = new TupleTag<>("record");
    TupleTag<KV<Integer, double[]>> answerTag = new TupleTag<>("answer");
    return KeyedPCollectionTuple.of(recordTag, keyed.get(records))
        .and(answerTag, answers)
        .apply("RegroupSentences", CoGroupByKey.create())
        .apply(
            "Assemble",
            ParDo.of(new AssembleFn(recordTag, answerTag, dim, oov))
                .withOutputTags(EMBEDDED, TupleTagList.of(ErrorRecord.TAG)));
  }

  static String key(String token, boolean lowercase) {
    return lowercase ? token.toLowerCase(Locale.ROOT) : token;
  }

  /** Puts the table's rows into one compact table. */
  static final class BuildTableFn
      extends Combine.CombineFn<KV<String, double[]>, EmbeddingTable.Builder, EmbeddingTable> {
    private static final long serialVersionUID = 1L;
    private final int dim;

    BuildTableFn(int dim) {
      this.dim = dim;
    }

    @Override
    public EmbeddingTable.Builder createAccumulator() {
      return new EmbeddingTable.Builder(dim);
    }

    @Override
    public EmbeddingTable.Builder addInput(EmbeddingTable.Builder table, KV<String, double[]> row) {
      return table.add(row.getKey(), row.getValue());
    }

    @Override
    public EmbeddingTable.Builder mergeAccumulators(Iterable<EmbeddingTable.Builder> tables) {
      EmbeddingTable.Builder all = new EmbeddingTable.Builder(dim);
      for (EmbeddingTable.Builder t : tables) {
        all.addAll(t.build());
      }
      return all;
    }

    @Override
    public EmbeddingTable extractOutput(EmbeddingTable.Builder table) {
      return table.build();
    }

    @Override
    public Coder<EmbeddingTable.Builder> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<String, double[]>> input) {
      return new BuilderCoder(dim);
    }

    @Override
    public Coder<EmbeddingTable> getDefaultOutputCoder(
        CoderRegistry registry, Coder<KV<String, double[]>> input) {
      return new EmbeddingTableCoder();
    }
  }

  /** A builder travels as the table it has built so far. */
  static final class BuilderCoder extends CustomCoder<EmbeddingTable.Builder> {
    private static final long serialVersionUID = 1L;
    private static final EmbeddingTableCoder TABLE = new EmbeddingTableCoder();
    private final int dim;

    BuilderCoder(int dim) {
      this.dim = dim;
    }

    @Override
    public void encode(EmbeddingTable.Builder builder, OutputStream out) throws IOException {
      TABLE.encode(builder.build(), out);
    }

    @Override
    public EmbeddingTable.Builder decode(InputStream in) throws IOException {
      return new EmbeddingTable.Builder(dim).addAll(TABLE.decode(in));
    }
  }

  /** Looks every token up in the side-input table. */
  static final class LookUpFn extends DoFn<PendingSentence, Sentence> {
    private static final long serialVersionUID = 1L;
    private final Counter unknown = Metrics.counter(EmbedSentences.class, UNKNOWN_TOKENS);
    private final PCollectionView<EmbeddingTable> view;
    private final int dim;
    private final OovPolicy oov;
    private final boolean lowercase;

    LookUpFn(PCollectionView<EmbeddingTable> view, int dim, OovPolicy oov, boolean lowercase) {
      this.view = view;
      this.dim = dim;
      this.oov = oov;
      this.lowercase = lowercase;
    }

    @ProcessElement
    public void process(ProcessContext c, MultiOutputReceiver out) {
      EmbeddingTable table = c.sideInput(view);
      PendingSentence p = c.element();
      double[][] vectors = new double[p.tokens().length][];
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = table.vector(key(p.tokens()[i], lowercase));
        if (vectors[i] == null) {
          unknown.inc();
        }
      }
      emit(p, vectors, dim, oov, out);
    }
  }

  static void emit(
      PendingSentence p, double[][] vectors, int dim, OovPolicy oov, DoFn.MultiOutputReceiver out) {
    try {
      out.get(EMBEDDED).output(oov.assemble(p, vectors, dim));
    } catch (BadRecordException e) {
      out.get(ErrorRecord.TAG).output(ErrorRecord.of(e, p.line(), p.source()));
    }
  }

  /** Gives each sentence a key of its own and asks for each of its tokens by position. */
  static final class KeyFn extends DoFn<PendingSentence, KV<String, PendingSentence>> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<KV<String, PendingSentence>> records;
    private final TupleTag<KV<String, KV<String, Integer>>> requests;
    private final boolean lowercase;

    KeyFn(
        TupleTag<KV<String, PendingSentence>> records,
        TupleTag<KV<String, KV<String, Integer>>> requests,
        boolean lowercase) {
      this.records = records;
      this.requests = requests;
      this.lowercase = lowercase;
    }

    @ProcessElement
    public void process(@Element PendingSentence p, MultiOutputReceiver out) {
      // The key is the line's hash, so a runner that recomputes one side of the join gets the
      // same keys; identical lines share a key and are told apart when they are regrouped.
      String key = SentenceParser.derivedId(p.line());
      out.get(records).output(KV.of(key, p));
      String[] tokens = p.tokens();
      for (int i = 0; i < tokens.length; i++) {
        out.get(requests).output(KV.of(key(tokens[i], lowercase), KV.of(key, i)));
      }
    }
  }

  /** For one token: its vector (or null) to every position that asked for it. */
  static final class AnswerFn
      extends DoFn<KV<String, CoGbkResult>, KV<String, KV<Integer, double[]>>> {
    private static final long serialVersionUID = 1L;
    private final TupleTag<double[]> vectorTag;
    private final TupleTag<KV<String, Integer>> requestTag;

    AnswerFn(TupleTag<double[]> vectorTag, TupleTag<KV<String, Integer>> requestTag) {
      this.vectorTag = vectorTag;
      this.requestTag = requestTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> token,
        OutputReceiver<KV<String, KV<Integer, double[]>>> out) {
      double[] vector = null;
      for (double[] v : token.getValue().getAll(vectorTag)) {
        vector = EmbeddingTable.preferred(vector, v);
      }
      for (KV<String, Integer> request : token.getValue().getAll(requestTag)) {
        out.output(KV.of(request.getKey(), KV.of(request.getValue(), vector)));
      }
    }
  }

  /** Puts one sentence's vectors back in token order. */
  static final class AssembleFn extends DoFn<KV<String, CoGbkResult>, Sentence> {
    private static final long serialVersionUID = 1L;
    private final Counter unknown = Metrics.counter(EmbedSentences.class, UNKNOWN_TOKENS);
    private final TupleTag<PendingSentence> recordTag;
    private final TupleTag<KV<Integer, double[]>> answerTag;
    private final int dim;
    private final OovPolicy oov;

    AssembleFn(
        TupleTag<PendingSentence> recordTag,
        TupleTag<KV<Integer, double[]>> answerTag,
        int dim,
        OovPolicy oov) {
      this.recordTag = recordTag;
      this.answerTag = answerTag;
      this.dim = dim;
      this.oov = oov;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> sentence, MultiOutputReceiver out) {
      List<KV<Integer, double[]>> answers = new ArrayList<>();
      sentence.getValue().getAll(answerTag).forEach(answers::add);
      // Every record under one key is the same line: each gets the same vectors.
      for (PendingSentence p : sentence.getValue().getAll(recordTag)) {
        double[][] vectors = new double[p.tokens().length][];
        for (KV<Integer, double[]> a : answers) {
          vectors[a.getKey()] = a.getValue();
        }
        for (double[] v : vectors) {
          if (v == null) {
            unknown.inc();
          }
        }
        emit(p, vectors, dim, oov, out);
      }
    }
  }
}
