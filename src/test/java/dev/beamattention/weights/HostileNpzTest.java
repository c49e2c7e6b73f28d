package dev.beamattention.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.core.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Archives built to lie about their sizes: each is refused with a message that names the array and
 * the cause, before its claim is allocated and without reading what it pads itself with.
 */
public class HostileNpzTest {
  /** An .npy header, format 1.0, for float64 values of {@code shape} such as "16383, 16383". */
  public static byte[] header(String shape) {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape + "), }";
    int total = 10 + dict.length() + 1;
    String padded = dict + " ".repeat((total + 63) / 64 * 64 - total) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(padded.length() & 0xff);
    out.write(padded.length() >>> 8);
    out.writeBytes(padded.getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** A one-member archive, {@code name}.npy holding {@code bytes} then {@code zeros} zero bytes. */
  public static byte[] npz(String name, byte[] bytes, long zeros, boolean stored)
      throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(file)) {
      ZipEntry e = new ZipEntry(name + ".npy");
      if (stored) {
        // A stored member declares its size and CRC up front, as np.savez writes them.
        byte[] all = java.util.Arrays.copyOf(bytes, Math.toIntExact(bytes.length + zeros));
        CRC32 crc = new CRC32();
        crc.update(all);
        e.setMethod(ZipEntry.STORED);
        e.setSize(all.length);
        e.setCompressedSize(all.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(all);
      } else {
        zip.putNextEntry(e);
        zip.write(bytes);
        byte[] block = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= block.length) {
          zip.write(block, 0, (int) Math.min(left, block.length));
        }
      }
      zip.closeEntry();
    }
    return file.toByteArray();
  }

  /** Counts the bytes read from the archive. */
  static final class Counting extends FilterInputStream {
    long read;

    Counting(byte[] bytes) {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      read += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      read += Math.max(0, n);
      return n;
    }
  }

  private static String refusal(byte[] archive) {
    IOException e =
        assertThrows(
            IOException.class,
            () -> Npy.readNpz(new ByteArrayInputStream(archive), archive.length));
    assertFalse(e.getMessage().contains("null"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void aSmallFileWhoseHeaderClaimsTwoGigabytesIsRefusedBeforeAllocating() throws IOException {
    // 1.7 KB on disk; its header claims 16383 x 16383 doubles, 2 GiB.
    byte[] archive = npz("w_q", header("16383, 16383"), 1536, true);
    assertTrue(archive.length < 1800, "archive of " + archive.length + " bytes");
    assertEquals(
        "array 'w_q': header claims 16383 x 16383 values, more than the "
            + Limits.MAX_WEIGHT_VALUES
            + " a weights array may hold",
        refusal(archive));
    // Within the value limit, the claim is held against the member's declared size...
    assertEquals(
        "array 'w_q': header claims 4000 x 4000 values of 8 bytes, 128000000 bytes of data, more"
            + " than the 1664 bytes its member can hold",
        refusal(npz("w_q", header("4000, 4000"), 1536, true)));
    // ... or, when a deflated member declares none, against the file's size times deflate's ratio.
    byte[] deflated = npz("w_q", header("4000, 4000"), 1536, false);
    assertTrue(
        refusal(deflated)
            .startsWith(
                "array 'w_q': header claims 4000 x 4000 values of 8 bytes, 128000000 bytes of"
                    + " data, more than the "),
        refusal(deflated));
  }

  @Test
  void aZipBombIsRefusedBeforeItsBytesAreInflated() throws IOException {
    // The 2 MB bomb inflates to the 2 GiB its header claims; 64 MiB of its zeros show the same.
    byte[] bomb = npz("w_q", header("16383, 16383"), 64L << 20, false);
    Counting in = new Counting(bomb);
    IOException e = assertThrows(IOException.class, () -> Npy.readNpz(in, bomb.length));
    assertTrue(
        e.getMessage().startsWith("array 'w_q': header claims 16383 x 16383"), e.getMessage());
    assertTrue(in.read < 4096, in.read + " of " + bomb.length + " bytes read");
  }

  @Test
  void aMemberPaddedPastItsArrayIsRefusedAtTheFirstExtraByte() throws IOException {
    ByteArrayOutputStream valid = new ByteArrayOutputStream();
    Npy.write(valid, new Npy.Array(new int[] {2, 2}, new double[] {1, 2, 3, 4}));
    // The 8 GiB of trailing zeros took 44 s to read; 64 MiB of them show they are not read.
    byte[] padded = npz("w_q", valid.toByteArray(), 64L << 20, false);
    Counting in = new Counting(padded);
    IOException e = assertThrows(IOException.class, () -> Npy.readNpz(in, padded.length));
    assertEquals(
        "array 'w_q': holds more bytes than its header's 2 x 2 values need (32 bytes of data)",
        e.getMessage());
    assertTrue(in.read < padded.length / 4, in.read + " of " + padded.length + " bytes read");
    // The same member without the padding reads as before.
    byte[] plain = npz("w_q", valid.toByteArray(), 0, true);
    Map<String, Npy.Array> arrays = Npy.readNpz(new ByteArrayInputStream(plain), plain.length);
    assertEquals(4.0, arrays.get("w_q").data()[3]);
  }

  @Test
  void aTruncatedArchiveSaysWhereItEndsNeverNull() throws IOException {
    ByteArrayOutputStream valid = new ByteArrayOutputStream();
    Npy.write(valid, new Npy.Array(new int[] {64, 64}, new double[64 * 64]));
    byte[] whole = npz("w_q", valid.toByteArray(), 0, true);
    // Cut in the member's data, and cut in the first local header.
    byte[] inData = java.util.Arrays.copyOf(whole, whole.length / 2);
    assertEquals(
        "array 'w_q': its data breaks off within values 0 to 4096 of the 4096 its header claims"
            + " (unexpected EOF)",
        refusal(inData));
    byte[] early = java.util.Arrays.copyOf(whole, 20);
    String message = refusal(early);
    assertTrue(
        message.startsWith("the file ends early") || message.startsWith("not an .npz"), message);
    InputStream none = new ByteArrayInputStream(new byte[0]);
    assertEquals(
        "not an .npz archive, or an empty one",
        assertThrows(IOException.class, () -> Npy.readNpz(none, 0)).getMessage());
  }
}
