package dev.beamattention.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.core.ExactSum;
import dev.beamattention.core.HeadSums;
import dev.beamattention.core.Softmax;
import dev.beamattention.record.SentenceWeights;
import dev.beamattention.record.SentenceWeightsCoder;
import dev.beamattention.testing.TestPipelineExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SummarizeHeads on sentences made with Create, against the sums and pairs computed directly. */
@ExtendWith(TestPipelineExtension.class)
class SummarizeHeadsTest {
  private static final long SEED = 11L;
  private static final int HEADS = 3;
  private static final int TOP = 4;
  private static final String[] VOCABULARY = {"a", "b", "c", "d"};

  private static List<SentenceWeights> sentences(boolean causal) {
    Random random = new Random(SEED);
    List<SentenceWeights> out = new ArrayList<>();
    for (int s = 0; s < 25; s++) {
      int n = 1 + random.nextInt(7);
      String[] tokens = new String[n];
      for (int t = 0; t < n; t++) {
        tokens[t] = VOCABULARY[random.nextInt(VOCABULARY.length)];
      }
      double[][][] heads = new double[HEADS][n][n];
      for (double[][] head : heads) {
        for (int r = 0; r < n; r++) {
          for (int c = 0; c < n; c++) {
            head[r][c] = random.nextGaussian() * 2;
          }
          Softmax.inPlace(head[r], causal ? r + 1 : n);
        }
      }
      out.add(new SentenceWeights("s" + s, tokens, heads));
    }
    return out;
  }

  /** The reports computed without Beam: one HeadSums per head, pair masses summed exactly. */
  private static List<HeadReport> expected(List<SentenceWeights> sentences, boolean causal) {
    List<HeadReport> reports = new ArrayList<>();
    for (int h = 0; h < HEADS; h++) {
      HeadSums sums = new HeadSums();
      Map<String, ExactSum> mass = new TreeMap<>();
      Map<String, Long> count = new TreeMap<>();
      for (SentenceWeights s : sentences) {
        double[][] a = s.heads()[h];
        sums.addSentence(a, causal);
        for (int r = 0; r < a.length; r++) {
          for (int c = 0; c < (causal ? r + 1 : a.length); c++) {
            String key = s.tokens()[r] + " " + s.tokens()[c];
            mass.computeIfAbsent(key, k -> new ExactSum()).add(a[r][c]);
            count.merge(key, 1L, Long::sum);
          }
        }
      }
      List<TopPair> pairs = new ArrayList<>();
      for (String key : mass.keySet()) {
        String[] ft = key.split(" ");
        pairs.add(new TopPair(ft[0], ft[1], mass.get(key).round(), count.get(key)));
      }
      pairs.sort(new TopPair.ByMass().reversed());
      reports.add(new HeadReport(h, sums.summary(), pairs.subList(0, TOP)));
    }
    return reports;
  }

  @Test
  void combinesToTheDirectSums(TestPipeline p) {
    List<SentenceWeights> input = sentences(false);
    PCollection<HeadReport> reports =
        p.apply(Create.of(input).withCoder(SentenceWeightsCoder.of()))
            .apply(new SummarizeHeads(TOP, false));
    PAssert.that(reports).containsInAnyOrder(expected(input, false));
    p.run().waitUntilFinish();
  }

  @Test
  void causalCountsVisibleCellsAndHasNoNext(TestPipeline p) {
    List<SentenceWeights> input = sentences(true);
    List<HeadReport> expected = expected(input, true);
    for (HeadReport r : expected) {
      assertFalse(r.summary().next().isPresent());
    }
    PCollection<HeadReport> reports =
        p.apply(Create.of(input).withCoder(SentenceWeightsCoder.of()))
            .apply(new SummarizeHeads(TOP, true));
    PAssert.that(reports).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void topPairsTieBreakByFromThenTo() {
    List<TopPair> pairs =
        new ArrayList<>(
            List.of(
                new TopPair("b", "a", 1.0, 1),
                new TopPair("a", "b", 1.0, 1),
                new TopPair("a", "a", 1.0, 2),
                new TopPair("z", "z", 2.0, 1)));
    pairs.sort(new TopPair.ByMass().reversed());
    assertEquals(
        List.of("z z", "a a", "a b", "b a"),
        pairs.stream().map(t -> t.from() + " " + t.to()).toList());
    assertTrue(new TopPair.ByMass().compare(pairs.get(0), pairs.get(1)) > 0);
  }
}
