package dev.beamattention.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableReaderTest {
  private static List<String> read(String text, int dim, List<String> rows) throws IOException {
    List<String> problems = new ArrayList<>();
    TableReader.read(
        new BufferedReader(new StringReader(text)),
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
