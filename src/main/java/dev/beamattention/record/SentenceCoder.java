package dev.beamattention.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes a {@link Sentence} compactly: id, tokens, then the embeddings as raw doubles. */
public final class SentenceCoder extends CustomCoder<Sentence> {
  private static final long serialVersionUID = 1L;
  private static final SentenceCoder INSTANCE = new SentenceCoder();

  public static SentenceCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link Sentence} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Sentence.class), INSTANCE);
  }

  @Override
  public void encode(Sentence value, OutputStream out) throws IOException {
    Codecs.writeString(value.id(), out);
    Codecs.writeStrings(value.tokens(), out);
    Codecs.writeRows(value.embeddings(), out);
  }

  @Override
  public Sentence decode(InputStream in) throws IOException {
    String id = Codecs.readString(in);
    String[] tokens = Codecs.readStrings(in);
    return new Sentence(id, tokens, Codecs.readRows(in));
  }

  @Override
  public void verifyDeterministic() {}
}
