package dev.beamattention.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A sentence given as tokens only, waiting for its vectors from a word-vector table; keeps its raw
 * line and, where known, its file for the error record it may become.
 */
@DefaultCoder(PendingSentence.Coder.class)
public final class PendingSentence {
  private final String id;
  private final String[] tokens;
  private final String line;
  private final @Nullable String source;

  public PendingSentence(String id, String[] tokens, String line) {
    this(id, tokens, line, null);
  }

  private PendingSentence(String id, String[] tokens, String line, @Nullable String source) {
    this.id = Objects.requireNonNull(id);
    this.tokens = Objects.requireNonNull(tokens);
    this.line = Objects.requireNonNull(line);
    this.source = source;
  }

  /** The same sentence, read from the file {@code source}. */
  public PendingSentence from(String source) {
    return new PendingSentence(id, tokens, line, Objects.requireNonNull(source));
  }

  /** The file the line came from, when known. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  public String id() {
    return id;
  }

  public String[] tokens() {
    return tokens;
  }

  public String line() {
    return line;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingSentence
        && id.equals(((PendingSentence) o).id)
        && Arrays.equals(tokens, ((PendingSentence) o).tokens)
        && line.equals(((PendingSentence) o).line)
        && Objects.equals(source, ((PendingSentence) o).source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(tokens), line, source);
  }

  /** id, tokens, line, source or null. */
  public static final class Coder extends CustomCoder<PendingSentence> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();
    private static final NullableCoder<String> SOURCE = NullableCoder.of(StringUtf8Coder.of());

    public static Coder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(PendingSentence.class), INSTANCE);
    }

    @Override
    public void encode(PendingSentence value, OutputStream out) throws IOException {
      Codecs.writeString(value.id, out);
      Codecs.writeStrings(value.tokens, out);
      Codecs.writeString(value.line, out);
      SOURCE.encode(value.source, out);
    }

    @Override
    public PendingSentence decode(InputStream in) throws IOException {
      String id = Codecs.readString(in);
      String[] tokens = Codecs.readStrings(in);
      String line = Codecs.readString(in);
      return new PendingSentence(id, tokens, line, SOURCE.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
