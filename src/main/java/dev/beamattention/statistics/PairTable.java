package dev.beamattention.statistics;

import dev.beamattention.core.ExactSum;
import dev.beamattention.record.Codecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.util.VarInt;

/**
 * Token pairs (row token, column token) of one head with the exact total weight each draws and the
 * number of cells: one shard of a head's pairs. Mutable.
 */
final class PairTable {
  /** A pair's running total. */
  private static final class Total {
    final ExactSum mass;
    long cells;

    Total(ExactSum mass, long cells) {
      this.mass = mass;
      this.cells = cells;
    }
  }

  private record Pair(String from, String to) {}

  private final Map<Pair, Total> totals = new HashMap<>();

  /** Adds one cell of weight {@code w} to the pair. */
  void add(String from, String to, double w) {
    Total t = totals.computeIfAbsent(new Pair(from, to), p -> new Total(new ExactSum(), 0));
    t.mass.add(w);
    t.cells++;
  }

  /** Adds every pair of {@code other}; {@code other} is not changed in value. */
  void merge(PairTable other) {
    for (Map.Entry<Pair, Total> e : other.totals.entrySet()) {
      Total t = totals.computeIfAbsent(e.getKey(), p -> new Total(new ExactSum(), 0));
      t.mass.add(e.getValue().mass);
      t.cells += e.getValue().cells;
    }
  }

  int size() {
    return totals.size();
  }

  /** The {@code k} pairs {@link TopPair.ByMass} ranks highest, highest first. */
  List<TopPair> top(int k) {
    List<TopPair> all = new ArrayList<>(totals.size());
    for (Map.Entry<Pair, Total> e : totals.entrySet()) {
      Total t = e.getValue();
      all.add(new TopPair(e.getKey().from(), e.getKey().to(), t.mass.round(), t.cells));
    }
    all.sort(new TopPair.ByMass().reversed());
    return new ArrayList<>(all.subList(0, Math.min(k, all.size())));
  }

  /** Merges the tables of a shard; its output is the shard's top K pairs. */
  static final class MergeFn extends Combine.CombineFn<PairTable, PairTable, List<TopPair>> {
    private static final long serialVersionUID = 1L;
    private final int k;

    MergeFn(int k) {
      this.k = k;
    }

    @Override
    public PairTable createAccumulator() {
      return new PairTable();
    }

    @Override
    public PairTable addInput(PairTable table, PairTable input) {
      table.merge(input);
      return table;
    }

    @Override
    public PairTable mergeAccumulators(Iterable<PairTable> tables) {
      PairTable merged = new PairTable();
      for (PairTable t : tables) {
        merged.merge(t);
      }
      return merged;
    }

    @Override
    public List<TopPair> extractOutput(PairTable table) {
      return table.top(k);
    }

    @Override
    public Coder<PairTable> getAccumulatorCoder(CoderRegistry registry, Coder<PairTable> input) {
      return PairTableCoder.INSTANCE;
    }
  }

  /** The pair count, then each pair: both tokens, the exact sum's digits, the cell count. */
  static final class PairTableCoder extends CustomCoder<PairTable> {
    private static final long serialVersionUID = 1L;
    static final PairTableCoder INSTANCE = new PairTableCoder();

    @Override
    public void encode(PairTable table, OutputStream out) throws IOException {
      VarInt.encode(table.totals.size(), out);
      for (Map.Entry<Pair, Total> e : table.totals.entrySet()) {
        Codecs.writeString(e.getKey().from(), out);
        Codecs.writeString(e.getKey().to(), out);
        Codecs.writeExactSum(e.getValue().mass, out);
        VarInt.encode(e.getValue().cells, out);
      }
    }

    @Override
    public PairTable decode(InputStream in) throws IOException {
      PairTable table = new PairTable();
      int n = VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        Pair p = new Pair(Codecs.readString(in), Codecs.readString(in));
        table.totals.put(p, new Total(Codecs.readExactSum(in), VarInt.decodeLong(in)));
      }
      return table;
    }
  }
}
