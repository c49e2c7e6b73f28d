package dev.beamattention.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes an {@link AttendedSentence}: id, tokens, output rows, then each kept weight matrix. */
public final class AttendedSentenceCoder extends CustomCoder<AttendedSentence> {
  private static final long serialVersionUID = 1L;
  private static final AttendedSentenceCoder INSTANCE = new AttendedSentenceCoder();

  public static AttendedSentenceCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link AttendedSentence} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(AttendedSentence.class), INSTANCE);
  }

  @Override
  public void encode(AttendedSentence value, OutputStream out) throws IOException {
    Codecs.writeString(value.id(), out);
    Codecs.writeStrings(value.tokens(), out);
    Codecs.writeRows(value.output(), out);
    VarInt.encode(value.attention().length, out);
    for (double[][] head : value.attention()) {
      Codecs.writeRows(head, out);
    }
  }

  @Override
  public AttendedSentence decode(InputStream in) throws IOException {
    String id = Codecs.readString(in);
    String[] tokens = Codecs.readStrings(in);
    double[][] output = Codecs.readRows(in);
    double[][][] weights = new double[VarInt.decodeInt(in)][][];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Codecs.readRows(in);
    }
    return new AttendedSentence(id, tokens, output, weights);
  }

  @Override
  public void verifyDeterministic() {}
}
