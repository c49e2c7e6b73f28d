package dev.beamattention.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Input files on any Beam file system: what a glob matches, and a file's bytes, decompressed when
 * its name says so ({@code .gz}, {@code .bz2}, {@code .zst}, ... as {@link Compression} detects).
 */
public final class InputFiles {
  private InputFiles() {}

  /** The files {@code glob} matches, sorted by name; empty when it matches none. */
  public static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult result = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    List<MatchResult.Metadata> files = new ArrayList<>();
    if (result.status() == MatchResult.Status.OK) {
      files.addAll(result.metadata());
    }
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return files;
  }

  /** Whether the file's name marks it as compressed, so it cannot be entered in the middle. */
  public static boolean isCompressed(ResourceId file) {
    return compressionOf(file) != Compression.UNCOMPRESSED;
  }

  /**
   * The file's bytes from the start, decompressed when its name says so. A {@code .gz} file is read
   * with the JDK's {@link GZIPInputStream}, which hands out every byte it inflated before it finds
   * the file cut short or its CRC wrong (Beam's reader drops those of the failing read); as with
   * Beam's, a file named {@code .gz} that is not gzip is read as it is, and concatenated members
   * are read one after the other.
   */
  public static InputStream open(ResourceId file) throws IOException {
    Compression compression = compressionOf(file);
    if (compression != Compression.GZIP) {
      return Channels.newInputStream(compression.readDecompressed(FileSystems.open(file)));
    }
    PushbackInputStream in =
        new PushbackInputStream(Channels.newInputStream(FileSystems.open(file)), 2);
    byte[] magic = in.readNBytes(2);
    in.unread(magic);
    boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    return gzip ? new GZIPInputStream(in, 64 << 10) : in;
  }

  /**
   * The file's lines, UTF-8, decompressed when its name says so, each held up to {@code maxBytes}
   * bytes (see {@link LineReader}).
   */
  public static LineReader lines(ResourceId file, int maxBytes) throws IOException {
    return new LineReader(open(file), maxBytes);
  }

  private static Compression compressionOf(ResourceId file) {
    String name = file.getFilename();
    return Compression.detect(name == null ? "" : name);
  }
}
