package dev.beamattention.parquet;

import dev.beamattention.record.AttendedSentence;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * An attended sentence as a row of {@link ParquetSchemas#contextual()} or {@link
 * ParquetSchemas#attention()}. The matrices are not copied: the lists are views that box each value
 * as the Parquet writer asks for it, as {@link ParquetSchemas#VALUE} says.
 */
public final class OutputRows {
  private OutputRows() {}

  /** {@code id}, {@code tokens}, {@code output}: n x d_out. */
  public static GenericRecord contextual(Schema schema, AttendedSentence s) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", s.id());
    r.put("tokens", Arrays.asList(s.tokens()));
    r.put("output", rows(s.output()));
    return r;
  }

  /** {@code id}, {@code tokens}, {@code weights}: maps x n x n. */
  public static GenericRecord attention(Schema schema, AttendedSentence s) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", s.id());
    r.put("tokens", Arrays.asList(s.tokens()));
    double[][][] maps = s.attention();
    List<List<List<Number>>> weights = new java.util.ArrayList<>(maps.length);
    for (double[][] map : maps) {
      weights.add(rows(map));
    }
    r.put("weights", weights);
    return r;
  }

  private static List<List<Number>> rows(double[][] matrix) {
    List<List<Number>> rows = new java.util.ArrayList<>(matrix.length);
    for (double[] row : matrix) {
      rows.add(new Values(row));
    }
    return rows;
  }

  /** A row of numbers as the writer reads it, without copying. */
  private static final class Values extends AbstractList<Number> implements RandomAccess {
    private final double[] row;

    Values(double[] row) {
      this.row = row;
    }

    @Override
    public Number get(int i) {
      return ParquetSchemas.VALUE == Schema.Type.FLOAT ? (Number) (float) row[i] : row[i];
    }

    @Override
    public int size() {
      return row.length;
    }
  }
}
