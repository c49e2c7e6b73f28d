package dev.beamattention.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.core.Limits;
import dev.beamattention.files.LineReader;
import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class TableReaderTest {
  private static List<String> read(String text, int dim, List<String> rows) throws IOException {
    return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), dim, rows);
  }

  private static List<String> read(InputStream in, int dim, List<String> rows) throws IOException {
    List<String> problems = new ArrayList<>();
    TableReader.read(
        new LineReader(in, Limits.MAX_TABLE_LINE_BYTES),
        dim,
        new TableReader.Sink() {
          @Override
          public void row(String token, double[] vector) {
            rows.add(token + "=" + java.util.Arrays.toString(vector));
          }

          @Override
          public void problem(long line, String reason, String t) {
            problems.add(line + ": " + reason);
          }
        });
    return problems;
  }

  @Test
  void readsGloVeAndReportsBadRowsByLine() throws IOException {
    List<String> rows = new ArrayList<>();
    List<String> problems =
        read("the 0.1 0.2\ncat 1 2 3\n\nsat x 2\nthe 9 9\nmat 1e400 1\non -1 0.5\n", 0, rows);
    assertEquals(List.of("the=[0.1, 0.2]", "on=[-1.0, 0.5]"), rows);
    assertEquals(
        List.of(
            "2: 'cat' has 3 values, expected 2",
            "4: value 0 of 'sat' is not a number: x",
            "5: duplicate token 'the': the first row wins",
            "6: value 0 of 'mat' is 1e400, not finite"),
        problems);
  }

  @Test
  void readsTheWord2vecHeader() throws IOException {
    List<String> rows = new ArrayList<>();
    List<String> problems = read("2 3\nthe 1 2 3\ncat 4 5 6\n", 0, rows);
    assertEquals(List.of("the=[1.0, 2.0, 3.0]", "cat=[4.0, 5.0, 6.0]"), rows);
    assertEquals(List.of(), problems);
    assertEquals(
        List.of(
            "1: header says 3 dimensions, expected 4",
            "2: 'the' has 3 values, expected 4",
            "3: 'cat' has 3 values, expected 4"),
        read("2 3\nthe 1 2 3\ncat 4 5 6\n", 4, new ArrayList<>()));
  }

  @Test
  void aRowThatIsNotUtf8IsABadRowAndTheOthersAreKept() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("the 1 2\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'c', (byte) 0xC3, (byte) 0x28, ' ', '3', ' ', '4', '\n'});
    bytes.writeBytes("caf\u00e9 5 6\n".getBytes(StandardCharsets.UTF_8));
    List<String> rows = new ArrayList<>();
    List<String> problems = read(new ByteArrayInputStream(bytes.toByteArray()), 0, rows);
    assertEquals(List.of("the=[1.0, 2.0]", "caf\u00e9=[5.0, 6.0]"), rows);
    assertEquals(List.of("2: not valid UTF-8"), problems);
  }

  @Test
  void aTruncatedGzipKeepsTheRowsBeforeTheBreakAndSaysWhereItBroke() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      text.append("w").append(i).append(' ').append(i).append(" 1\n");
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] cut = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
    List<String> rows = new ArrayList<>();
    List<String> problems = read(new GZIPInputStream(new ByteArrayInputStream(cut)), 0, rows);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems
            .get(0)
            .matches(
                (rows.size() + 1)
                    + ": the file breaks here, \\d+ bytes in \\(.+\\); the rows before were read"),
        problems.get(0));
    assertTrue(rows.size() > 100, "rows before the break: " + rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals("w" + i + "=[" + i + ".0, 1.0]", rows.get(i));
    }
  }

  @Test
  void aRowOfMillionsOfValuesIsRefusedWithoutSplittingIt() throws IOException {
    // 3 million values: 6 MB, more than a table line may have; 20,000 values: 40 KB, too wide.
    InputStream huge =
        new SequenceInputStream(
            new ByteArrayInputStream("big".getBytes(StandardCharsets.UTF_8)),
            new ByteArrayInputStream(" 0".repeat(3_000_000).getBytes(StandardCharsets.UTF_8)));
    IOException tooLong =
        assertThrows(
            IOException.class,
            () -> TableReader.width(new LineReader(huge, Limits.MAX_TABLE_LINE_BYTES)));
    assertEquals(
        "line 1 has 6000003 bytes, more than the 4194304 a table line may have",
        tooLong.getMessage());
    String wide = "wide" + " 0".repeat(20_000) + "\n";
    IOException tooWide =
        assertThrows(
            IOException.class,
            () ->
                TableReader.width(
                    new LineReader(
                        new ByteArrayInputStream(wide.getBytes(StandardCharsets.UTF_8)),
                        Limits.MAX_TABLE_LINE_BYTES)));
    assertEquals(
        "line 1 has 20000 values, more than the 16384 d_model allows", tooWide.getMessage());
    List<String> rows = new ArrayList<>();
    assertEquals(
        List.of("1: a row of 20000 values, more than the 16384 d_model allows"),
        read(wide + "ok 1 2\n", 0, rows));
    assertEquals(List.of("ok=[1.0, 2.0]"), rows);
    assertEquals(
        OptionalInt.of(2),
        TableReader.width(
            new LineReader(
                new ByteArrayInputStream("\nok 1 2\n".getBytes(StandardCharsets.UTF_8)), 64)));
  }

  @Test
  void tablesLookUpCompactly() {
    EmbeddingTable t =
        new EmbeddingTable.Builder(2)
            .add("a", new double[] {1, 2})
            .add("b", new double[] {3, 4})
            .build();
    assertArrayEquals(new double[] {3, 4}, t.vector("b"));
    assertNull(t.vector("c"));
    assertEquals(2, t.size());
  }

  @Test
  void unknownTokensFollowThePolicy() throws BadRecordException {
    PendingSentence p = new PendingSentence("s", new String[] {"a", "zz", "b"}, "{raw}");
    double[][] vectors = {{1, 2}, null, {3, 4}};
    BadRecordException e =
        assertThrows(
            BadRecordException.class, () -> OovPolicy.ERROR.assemble(p, vectors.clone(), 2));
    assertEquals("1 token(s) not in the embeddings table: 'zz'", e.getMessage());

    Sentence zero = OovPolicy.ZERO.assemble(p, vectors.clone(), 2);
    assertArrayEquals(new double[][] {{1, 2}, {0, 0}, {3, 4}}, zero.embeddings());
    assertArrayEquals(new String[] {"a", "zz", "b"}, zero.tokens());

    Sentence skip = OovPolicy.SKIP.assemble(p, vectors.clone(), 2);
    assertArrayEquals(new String[] {"a", "b"}, skip.tokens());
    assertArrayEquals(new double[][] {{1, 2}, {3, 4}}, skip.embeddings());

    PendingSentence none = new PendingSentence("n", new String[] {"x"}, "{raw}");
    assertThrows(BadRecordException.class, () -> OovPolicy.SKIP.assemble(none, new double[1][], 2));
  }
}
