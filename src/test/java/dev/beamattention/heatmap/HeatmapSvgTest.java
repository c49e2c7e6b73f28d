package dev.beamattention.heatmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HeatmapSvgTest {
  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> byClass(Document d, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      if (cls.equals(e.getAttribute("class"))) {
        out.add(e);
      }
    }
    return out;
  }

  static double[][] randomRows(int n, long seed) {
    Random random = new Random(seed);
    double[][] w = new double[n][n];
    for (double[] row : w) {
      double sum = 0;
      for (int c = 0; c < n; c++) {
        row[c] = random.nextDouble();
        sum += row[c];
      }
      for (int c = 0; c < n; c++) {
        row[c] /= sum;
      }
    }
    return w;
  }

  private static double luminance(String hex) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return 0.2126 * (rgb >> 16) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
  }

  @Test
  void aCausalMapDrawsTheHiddenCellsGreyAndWithoutANumber() throws Exception {
    String[] tokens = {"a", "b", "c"};
    double[][] w = {{1, 0, 0}, {0.5, 0.5, 0}, {0.25, 0.25, 0.5}};
    Document svg = parse(HeatmapSvg.draw("causal", tokens, w, true));
    List<Element> masked = byClass(svg, "rect", "cell masked");
    assertEquals(3, masked.size());
    for (Element cell : masked) {
      assertTrue(
          Integer.parseInt(cell.getAttribute("data-col"))
              > Integer.parseInt(cell.getAttribute("data-row")));
      assertEquals(HeatmapSvg.MASKED, cell.getAttribute("fill"));
    }
    assertEquals(6, byClass(svg, "rect", "cell").size());
    // The three hidden cells carry no number: three texts fewer than the same map unmasked.
    int unmasked =
        parse(HeatmapSvg.draw("causal", tokens, w, false))
            .getElementsByTagNameNS("http://www.w3.org/2000/svg", "text")
            .getLength();
    assertEquals(
        unmasked - 3, svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text").getLength());
  }

  @Test
  void hasOneCellPerPairWhoseColourDarkensWithTheWeight() throws Exception {
    String[] tokens = {"The", "cat", "sat", "on", "the", "mat", "."};
    double[][] w = randomRows(7, 1);
    Document svg = parse(HeatmapSvg.draw("cat, head 0", tokens, w));

    List<Element> cells = byClass(svg, "rect", "cell");
    assertEquals(49, cells.size());
    for (Element cell : cells) {
      int r = Integer.parseInt(cell.getAttribute("data-row"));
      int c = Integer.parseInt(cell.getAttribute("data-col"));
      assertEquals(w[r][c], Double.parseDouble(cell.getAttribute("data-weight")), 0.0);
    }
    cells.sort(Comparator.comparingDouble(e -> Double.parseDouble(e.getAttribute("data-weight"))));
    for (int i = 1; i < cells.size(); i++) {
      assertTrue(
          luminance(cells.get(i).getAttribute("fill"))
              <= luminance(cells.get(i - 1).getAttribute("fill")),
          "a larger weight must not be lighter");
    }
    assertEquals(1, byClass(svg, "rect", "legend").size());
    assertEquals(7, byClass(svg, "text", "row-label").size());
    assertEquals(7, byClass(svg, "text", "col-label").size());
    assertTrue(svg.getDocumentElement().getTextContent().contains("cat, head 0"));
  }

  @Test
  void escapesMarkupQuotesEmojiAndControls() throws Exception {
    String[] tokens = {"<b>", "&amp;", "\"q\"", "it's", "😀", "a\u0001b"};
    Document svg = parse(HeatmapSvg.draw("id <&> \"x\"", tokens, randomRows(6, 2)));

    List<Element> labels = byClass(svg, "text", "row-label");
    assertEquals("<b>", labels.get(0).getTextContent());
    assertEquals("&amp;", labels.get(1).getTextContent());
    assertEquals("\"q\"", labels.get(2).getTextContent());
    assertEquals("it's", labels.get(3).getTextContent());
    assertEquals("😀", labels.get(4).getTextContent());
    assertEquals("a\ufffdb", labels.get(5).getTextContent());
  }

  @Test
  void longSentencesThinTheirLabelsAndDropCellText() throws Exception {
    int n = 256;
    String[] tokens = new String[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = "token" + i;
    }
    Document svg = parse(HeatmapSvg.draw("long", tokens, randomRows(n, 3)));
    assertEquals(n * n, byClass(svg, "rect", "cell").size());
    int labels = byClass(svg, "text", "row-label").size();
    assertTrue(labels >= 16 && labels < n, "labels: " + labels);
    NodeList texts = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    for (int i = 0; i < texts.getLength(); i++) {
      assertFalse(
          texts.item(i).getTextContent().matches("0\\.\\d\\d"), "no weights written in tiny cells");
    }
    double width = Double.parseDouble(svg.getDocumentElement().getAttribute("width"));
    assertTrue(width < 1000, "the picture stays screen-sized: " + width);
  }

  @Test
  void smallGridsShowTheWeights() throws Exception {
    Document svg =
        parse(
            HeatmapSvg.draw("two", new String[] {"a", "b"}, new double[][] {{0.25, 0.75}, {1, 0}}));
    String text = svg.getDocumentElement().getTextContent();
    assertTrue(text.contains("0.25") && text.contains("0.75") && text.contains("1.00"), text);
  }

  @Test
  void refusesSentencesTooLongToDraw() {
    int n = HeatmapSvg.MAX_TOKENS + 1;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HeatmapSvg.draw("x", new String[n], new double[n][n]));
    assertEquals("1025 tokens are more than the 1024 a heatmap draws", e.getMessage());
  }

  @Test
  void refusesAMatrixThatDoesNotFitTheTokens() {
    assertThrows(
        IllegalArgumentException.class,
        () -> HeatmapSvg.draw("x", new String[] {"a"}, new double[2][2]));
  }
}
