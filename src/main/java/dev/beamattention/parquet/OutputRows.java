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
 * as the Parquet writer asks for it, as a float (rounded to nearest) when the schema's numbers are
 * floats, else as the double.
 */
public final class OutputRows {
  private OutputRows() {}

  /** {@code id}, {@code tokens}, {@code output}: n x d_out. */
  public static GenericRecord contextual(Schema schema, AttendedSentence s) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", s.id());
    r.put("tokens", Arrays.asList(s.tokens()));
    r.put("output", rows(s.output(), isFloat(schema.getField("output").schema(), 2)));
    return r;
  }

  /** {@code id}, {@code tokens}, {@code weights}: maps x n x n. */
  public static GenericRecord attention(Schema schema, AttendedSentence s) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", s.id());
    r.put("tokens", Arrays.asList(s.tokens()));
    double[][][] maps = s.attention();
    boolean float32 = isFloat(schema.getField("weights").schema(), 3);
    List<List<List<Number>>> weights = new java.util.ArrayList<>(maps.length);
    for (double[][] map : maps) {
      weights.add(rows(map, float32));
    }
    r.put("weights", weights);
    return r;
  }

  // Whether the numbers of an array schema depth deep are floats.
  private static boolean isFloat(Schema array, int depth) {
    Schema s = array;
    for (int i = 0; i < depth; i++) {
      s = s.getElementType();
    }
    return s.getType() == Schema.Type.FLOAT;
  }

  private static List<List<Number>> rows(double[][] matrix, boolean float32) {
    List<List<Number>> rows = new java.util.ArrayList<>(matrix.length);
    for (double[] row : matrix) {
      rows.add(new Values(row, float32));
    }
    return rows;
  }

  /** A row of numbers as the writer reads it, without copying. */
  private static final class Values extends AbstractList<Number> implements RandomAccess {
    private final double[] row;
    private final boolean float32;

    Values(double[] row, boolean float32) {
      this.row = row;
      this.float32 = float32;
    }

    @Override
    public Number get(int i) {
      return float32 ? (Number) (float) row[i] : (Number) row[i];
    }

    @Override
    public int size() {
      return row.length;
    }
  }
}
