package dev.beamattention.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A sentence given as tokens only, waiting for its vectors from a word-vector table; keeps its raw
 * line for the error record it may become.
 */
@DefaultCoder(PendingSentence.Coder.class)
public final class PendingSentence {
  private final String id;
  private final String[] tokens;
  private final String line;

  public PendingSentence(String id, String[] tokens, String line) {
    this.id = Objects.requireNonNull(id);
    this.tokens = Objects.requireNonNull(tokens);
    this.line = Objects.requireNonNull(line);
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
        && line.equals(((PendingSentence) o).line);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(tokens), line);
  }

  /** id, tokens, line. */
  public static final class Coder extends CustomCoder<PendingSentence> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

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
    }

    @Override
    public PendingSentence decode(InputStream in) throws IOException {
      String id = Codecs.readString(in);
      String[] tokens = Codecs.readStrings(in);
      return new PendingSentence(id, tokens, Codecs.readString(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
