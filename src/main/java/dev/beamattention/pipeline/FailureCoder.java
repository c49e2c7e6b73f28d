package dev.beamattention.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes a {@link Failure}: error, input, and the source file or null. */
public final class FailureCoder extends CustomCoder<Failure> {
  private static final long serialVersionUID = 1L;
  private static final FailureCoder INSTANCE = new FailureCoder();
  private static final NullableCoder<String> SOURCE = NullableCoder.of(StringUtf8Coder.of());

  public static FailureCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link Failure} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Failure.class), INSTANCE);
  }

  @Override
  public void encode(Failure value, OutputStream out) throws IOException {
    CoderSupport.writeString(value.error(), out);
    CoderSupport.writeString(value.input(), out);
    SOURCE.encode(value.source(), out);
  }

  @Override
  public Failure decode(InputStream in) throws IOException {
    String error = CoderSupport.readString(in);
    String input = CoderSupport.readString(in);
    return new Failure(error, input, SOURCE.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
