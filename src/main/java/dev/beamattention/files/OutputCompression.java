package dev.beamattention.files;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.sdk.io.Compression;

/**
 * How JSON Lines outputs are compressed, with Beam's {@link Compression}: none, gzip or zstd. A
 * compressed file keeps its {@code .jsonl} and gains the codec's ending ({@code .jsonl.gz}, {@code
 * .jsonl.zst}), which {@link InputFiles} detects when reading it back. zstd needs zstd-jni on the
 * class path, as the job's jar has it.
 */
public enum OutputCompression {
  NONE(Compression.UNCOMPRESSED),
  GZIP(Compression.GZIP),
  ZSTD(Compression.ZSTD);

  private final Compression beam;

  OutputCompression(Compression beam) {
    this.beam = beam;
  }

  /** The value named {@code none}, {@code gzip} or {@code zstd}, in any case. */
  public static Optional<OutputCompression> named(String text) {
    for (OutputCompression c : values()) {
      if (c.name().equalsIgnoreCase(text.trim())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Beam's codec, for TextIO and for streams of its own. */
  public Compression beam() {
    return beam;
  }

  /** A JSON Lines file's ending: {@code .jsonl}, {@code .jsonl.gz} or {@code .jsonl.zst}. */
  public String suffix() {
    return ".jsonl" + beam.getSuggestedSuffix();
  }

  /** Every ending a JSON Lines output of this job may have, whatever it was written with. */
  public static List<String> allSuffixes() {
    return List.of(NONE.suffix(), GZIP.suffix(), ZSTD.suffix());
  }

  /** The name as the command line and run.json spell it. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
