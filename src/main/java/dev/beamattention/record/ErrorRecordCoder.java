package dev.beamattention.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/** Encodes an {@link ErrorRecord}: kind, reason, input, and the source file or null. */
public final class ErrorRecordCoder extends CustomCoder<ErrorRecord> {
  private static final long serialVersionUID = 1L;
  private static final ErrorRecordCoder INSTANCE = new ErrorRecordCoder();
  private static final ErrorKind[] KINDS = ErrorKind.values();
  private static final NullableCoder<String> SOURCE = NullableCoder.of(StringUtf8Coder.of());

  public static ErrorRecordCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link ErrorRecord} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(ErrorRecord.class), INSTANCE);
  }

  @Override
  public void encode(ErrorRecord value, OutputStream out) throws IOException {
    VarInt.encode(value.kind().ordinal(), out);
    Codecs.writeString(value.reason(), out);
    Codecs.writeString(value.input(), out);
    SOURCE.encode(value.source().orElse(null), out);
  }

  @Override
  public ErrorRecord decode(InputStream in) throws IOException {
    ErrorKind kind = KINDS[VarInt.decodeInt(in)];
    String reason = Codecs.readString(in);
    String input = Codecs.readString(in);
    return ErrorRecord.of(kind, reason, input, Optional.ofNullable(SOURCE.decode(in)));
  }

  @Override
  public void verifyDeterministic() {}
}
