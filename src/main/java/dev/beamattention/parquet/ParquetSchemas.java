package dev.beamattention.parquet;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Avro schemas of the Parquet outputs, whose column names are the JSON fields': {@code
 * contextual} is {@code id} string, {@code tokens} list&lt;string&gt;, {@code output}
 * list&lt;list&lt;VALUE&gt;&gt; (n x d_out); {@code attention} is {@code id}, {@code tokens},
 * {@code weights} list&lt;list&lt;list&lt;VALUE&gt;&gt;&gt; (maps x n x n).
 */
public final class ParquetSchemas {
  private ParquetSchemas() {}

  /**
   * The schema of {@code contextual-*.parquet}; VALUE is {@code float} when {@code float32}, else
   * {@code double} (the rows follow it, see {@link OutputRows}).
   */
  public static Schema contextual(boolean float32) {
    return sentence("Contextual", "output", nested(2, float32));
  }

  /** The schema of {@code attention-*.parquet}, VALUE as for {@link #contextual}. */
  public static Schema attention(boolean float32) {
    return sentence("Attention", "weights", nested(3, float32));
  }

  private static Schema sentence(String name, String field, Schema values) {
    return SchemaBuilder.record(name)
        .namespace("dev.beamattention")
        .fields()
        .requiredString("id")
        .name("tokens")
        .type()
        .array()
        .items()
        .stringType()
        .noDefault()
        .name(field)
        .type(values)
        .noDefault()
        .endRecord();
  }

  // Lists of lists ... of VALUE, depth deep.
  private static Schema nested(int depth, boolean float32) {
    Schema s = Schema.create(float32 ? Schema.Type.FLOAT : Schema.Type.DOUBLE);
    for (int i = 0; i < depth; i++) {
      s = Schema.createArray(s);
    }
    return s;
  }
}
