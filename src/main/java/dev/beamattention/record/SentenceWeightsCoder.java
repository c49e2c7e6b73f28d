package dev.beamattention.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes {@link SentenceWeights}: id, tokens, then each head's rows. */
public final class SentenceWeightsCoder extends CustomCoder<SentenceWeights> {
  private static final long serialVersionUID = 1L;
  private static final SentenceWeightsCoder INSTANCE = new SentenceWeightsCoder();

  public static SentenceWeightsCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link SentenceWeights} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(SentenceWeights.class), INSTANCE);
  }

  @Override
  public void encode(SentenceWeights value, OutputStream out) throws IOException {
    Codecs.writeString(value.id(), out);
    Codecs.writeStrings(value.tokens(), out);
    VarInt.encode(value.heads().length, out);
    for (double[][] head : value.heads()) {
      Codecs.writeRows(head, out);
    }
  }

  @Override
  public SentenceWeights decode(InputStream in) throws IOException {
    String id = Codecs.readString(in);
    String[] tokens = Codecs.readStrings(in);
    double[][][] heads = new double[VarInt.decodeInt(in)][][];
    for (int i = 0; i < heads.length; i++) {
      heads[i] = Codecs.readRows(in);
    }
    return new SentenceWeights(id, tokens, heads);
  }

  @Override
  public void verifyDeterministic() {}
}
