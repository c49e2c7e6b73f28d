package dev.beamattention.statistics;

import dev.beamattention.core.HeadSums;
import dev.beamattention.record.SentenceWeights;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Every head's statistics over the sentences of each window: one {@link HeadReport} per head.
 *
 * <p>Per sentence, {@link SentenceFn} adds each head's map into a fresh {@link HeadSums} and emits
 * it keyed by head, and sums each (row token, column token) pair's cells into {@link PairTable}s
 * keyed by (head, shard of the pair). {@code Combine.perKey} merges the head sums, and the tables
 * of each shard (exact sums, so in any order), each shard giving its K largest pairs; {@code
 * Top.perKey} keeps each head's K largest of those ({@link TopPair.ByMass}); the two meet by head
 * in a CoGroupByKey.
 */
public final class SummarizeHeads
    extends PTransform<PCollection<SentenceWeights>, PCollection<HeadReport>> {
  private static final long serialVersionUID = 1L;

  private static final TupleTag<KV<Integer, HeadSums>> SUMS =
      new TupleTag<KV<Integer, HeadSums>>("sums") {};
  private static final TupleTag<KV<KV<Integer, Integer>, PairTable>> CELLS =
      new TupleTag<KV<KV<Integer, Integer>, PairTable>>("cells") {};

  /**
   * A head's pairs are spread over this many shards by a hash of the two tokens: keys stay few
   * (heads x shards), and each pair's exact total lives in one shard, so the head's top K are among
   * the shards' top K.
   */
  static final int PAIR_SHARDS = 64;

  private static final TupleTag<HeadSums> JOINED_SUMS = new TupleTag<HeadSums>("sums") {};
  private static final TupleTag<List<TopPair>> JOINED_PAIRS =
      new TupleTag<List<TopPair>>("pairs") {};

  private final int topPairs;
  private final boolean causal;

  /**
   * @param topPairs how many pairs to keep per head; 0 computes no pairs
   * @param causal whether the weights come from a causal mask: only cells c &lt;= r count
   */
  public SummarizeHeads(int topPairs, boolean causal) {
    super("SummarizeHeads");
    if (topPairs < 0) {
      throw new IllegalArgumentException("topPairs must be at least 0, got " + topPairs);
    }
    this.topPairs = topPairs;
    this.causal = causal;
  }

  @Override
  public PCollection<HeadReport> expand(PCollection<SentenceWeights> sentences) {
    PCollectionTuple parts =
        sentences.apply(
            "PerSentence",
            ParDo.of(new SentenceFn(causal, topPairs > 0))
                .withOutputTags(SUMS, TupleTagList.of(CELLS)));
    PCollection<KV<Integer, HeadSums>> sums =
        parts
            .get(SUMS)
            .setCoder(KvCoder.of(VarIntCoder.of(), HeadSumsCoder.INSTANCE))
            .apply("SumHeads", Combine.perKey(new MergeSumsFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), HeadSumsCoder.INSTANCE));
    KvCoder<Integer, Integer> shardCoder = KvCoder.of(VarIntCoder.of(), VarIntCoder.of());
    parts.get(CELLS).setCoder(KvCoder.of(shardCoder, PairTable.PairTableCoder.INSTANCE));
    PCollection<KV<Integer, List<TopPair>>> pairs =
        parts
            .get(CELLS)
            .apply("SumPairs", Combine.perKey(new PairTable.MergeFn(Math.max(1, topPairs))))
            .setCoder(KvCoder.of(shardCoder, ListCoder.of(TopPair.Coder.INSTANCE)))
            .apply("ByHead", ParDo.of(new ByHeadFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), TopPair.Coder.INSTANCE))
            .apply("TopPairs", Top.perKey(Math.max(1, topPairs), new TopPair.ByMass()));
    return KeyedPCollectionTuple.of(JOINED_SUMS, sums)
        .and(JOINED_PAIRS, pairs)
        .apply("JoinByHead", CoGroupByKey.create())
        .apply("Report", ParDo.of(new ReportFn()))
        .setCoder(HeadReport.Coder.INSTANCE);
  }

  /** Merges per-sentence head sums; the result does not depend on the order. */
  static final class MergeSumsFn extends Combine.CombineFn<HeadSums, HeadSums, HeadSums> {
    private static final long serialVersionUID = 1L;

    @Override
    public HeadSums createAccumulator() {
      return new HeadSums();
    }

    @Override
    public HeadSums addInput(HeadSums accumulator, HeadSums input) {
      accumulator.merge(input);
      return accumulator;
    }

    @Override
    public HeadSums mergeAccumulators(Iterable<HeadSums> accumulators) {
      HeadSums merged = new HeadSums();
      for (HeadSums a : accumulators) {
        merged.merge(a);
      }
      return merged;
    }

    @Override
    public HeadSums extractOutput(HeadSums accumulator) {
      return accumulator;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<HeadSums> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<HeadSums> input) {
      return HeadSumsCoder.INSTANCE;
    }
  }

  /** One sentence: each head's sums, and each token pair's cells per head. */
  static final class SentenceFn extends DoFn<SentenceWeights, KV<Integer, HeadSums>> {
    private static final long serialVersionUID = 1L;

    private final Counter summarized = Metrics.counter(HeadStats.class, HeadStats.SENTENCES);
    private final boolean causal;
    private final boolean pairs;

    SentenceFn(boolean causal, boolean pairs) {
      this.causal = causal;
      this.pairs = pairs;
    }

    @ProcessElement
    public void process(@Element SentenceWeights sentence, MultiOutputReceiver out) {
      double[][][] heads = sentence.heads();
      String[] tokens = sentence.tokens();
      for (int i = 0; i < heads.length; i++) {
        HeadSums sums = new HeadSums();
        sums.addSentence(heads[i], causal);
        out.get(SUMS).output(KV.of(i, sums));
        if (pairs) {
          for (Map.Entry<Integer, PairTable> e : shards(tokens, heads[i]).entrySet()) {
            out.get(CELLS).output(KV.of(KV.of(i, e.getKey()), e.getValue()));
          }
        }
      }
      summarized.inc();
    }

    /** The visible cells of each token pair, summed per pair, in their shards. */
    private Map<Integer, PairTable> shards(String[] tokens, double[][] a) {
      Map<Integer, PairTable> shards = new HashMap<>();
      int n = a.length;
      for (int r = 0; r < n; r++) {
        int visible = causal ? r + 1 : n;
        for (int c = 0; c < visible; c++) {
          shards
              .computeIfAbsent(shard(tokens[r], tokens[c]), k -> new PairTable())
              .add(tokens[r], tokens[c], a[r][c]);
        }
      }
      return shards;
    }
  }

  /** The shard of a pair: String.hashCode is specified, so the same on every JVM. */
  static int shard(String from, String to) {
    return Math.floorMod(from.hashCode() * 31 + to.hashCode(), PAIR_SHARDS);
  }

  /** A shard's top pairs, keyed by their head for Top. */
  static final class ByHeadFn
      extends DoFn<KV<KV<Integer, Integer>, List<TopPair>>, KV<Integer, TopPair>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<KV<Integer, Integer>, List<TopPair>> shard,
        OutputReceiver<KV<Integer, TopPair>> out) {
      for (TopPair p : shard.getValue()) {
        out.output(KV.of(shard.getKey().getKey(), p));
      }
    }
  }

  /** A head's sums and top pairs as its report. */
  static final class ReportFn extends DoFn<KV<Integer, CoGbkResult>, HeadReport> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> joined, OutputReceiver<HeadReport> out) {
      HeadSums sums = joined.getValue().getOnly(JOINED_SUMS, null);
      if (sums == null) {
        return;
      }
      List<TopPair> pairs = joined.getValue().getOnly(JOINED_PAIRS, List.of());
      out.output(new HeadReport(joined.getKey(), sums.summary(), pairs));
    }
  }
}
