package dev.beamattention.heatmap;

import java.util.Locale;

/**
 * One attention matrix as an SVG heatmap: rows are the attending tokens, columns the attended ones,
 * a cell's colour its weight on a scale from 0 to the matrix's largest weight, with a legend. Each
 * cell is a {@code <rect class="cell">} with {@code data-row}, {@code data-col} and {@code
 * data-weight} attributes and a tooltip; its weight is also written in it when cells are large
 * enough to read. Labels thin out and cells shrink for long sentences, so the picture stays legible
 * up to hundreds of tokens.
 */
final class HeatmapSvg {
  /** The fill of a cell a causal mask hides. */
  static final String MASKED = "#d9d9d9";

  /** The width of the grid, in pixels, that cells shrink to fit. */
  static final double GRID = 640;

  /** Cells at least this wide show their weight. */
  static final double CELL_WITH_TEXT = 34;

  /** Sentences longer than this are not drawn: their SVG would be hundreds of MB. */
  public static final int MAX_TOKENS = 1024;

  /** Cells carry a tooltip up to this many tokens; beyond, they would make files of many MB. */
  static final int TOOLTIPS_UP_TO = 64;

  // "Blues", light to dark: high weights stand out.
  private static final int[][] STOPS = {
    {0xf7, 0xfb, 0xff},
    {0xc6, 0xdb, 0xef},
    {0x6b, 0xae, 0xd6},
    {0x21, 0x71, 0xb5},
    {0x08, 0x30, 0x6b}
  };

  private HeatmapSvg() {}

  /**
   * Draws a matrix.
   *
   * @param title the heading, for example "s-001, head 0"
   * @param tokens n labels
   * @param weights n x n, non-negative
   * @throws IllegalArgumentException when the shapes do not fit, or n exceeds {@link #MAX_TOKENS}
   */
  public static String draw(String title, String[] tokens, double[][] weights) {
    return draw(title, tokens, weights, false);
  }

  /**
   * As {@link #draw(String, String[], double[][])}; with {@code causal}, the cells a causal mask
   * hides (column after row) are drawn grey, without a number, as {@code class="cell masked"}.
   */
  public static String draw(String title, String[] tokens, double[][] weights, boolean causal) {
    int n = tokens.length;
    if (n > MAX_TOKENS) {
      throw new IllegalArgumentException(
          n + " tokens are more than the " + MAX_TOKENS + " a heatmap draws");
    }
    if (weights.length != n) {
      throw new IllegalArgumentException(
          "weights have " + weights.length + " rows but there are " + n + " tokens");
    }
    double max = 0;
    for (double[] row : weights) {
      if (row.length != n) {
        throw new IllegalArgumentException("weights are not " + n + " x " + n);
      }
      for (double w : row) {
        max = Math.max(max, w);
      }
    }
    double cell = Math.max(2.0, Math.min(48.0, GRID / n));
    double font = Math.min(13.0, Math.max(7.0, cell * 0.8));
    // Show every k-th label so that neighbouring labels do not overlap.
    int every = (int) Math.ceil(font * 1.15 / cell);
    int longest = 1;
    for (String t : tokens) {
      longest = Math.max(longest, Math.min(24, t.codePointCount(0, t.length())));
    }
    double labels = 12 + longest * font * 0.62;
    double left = labels + 8;
    double top = 48 + labels;
    double grid = cell * n;
    double legendX = left + grid + 24;
    double width = legendX + 90;
    double height = top + grid + 48;

    StringBuilder svg = new StringBuilder(256 + n * n * (n <= TOOLTIPS_UP_TO ? 150 : 110));
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">%n",
            width,
            height,
            width,
            height));
    svg.append("<title>").append(escape(title)).append("</title>\n");
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
            left,
            escape(title)));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#555\">rows: attending token · columns: attended token</text>%n",
            left,
            height - 16));

    for (int r = 0; r < n; r++) {
      double y = top + r * cell;
      if (r % every == 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text class=\"row-label\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>%n",
                left - 6,
                y + cell / 2,
                font,
                escape(shorten(tokens[r]))));
      }
    }
    for (int c = 0; c < n; c++) {
      double x = left + c * cell + cell / 2;
      if (c % every == 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text class=\"col-label\" transform=\"translate(%.1f %.1f) rotate(-60)\" font-size=\"%.1f\" dominant-baseline=\"middle\">%s</text>%n",
                x,
                top - 6,
                font,
                escape(shorten(tokens[c]))));
      }
    }
    boolean text = cell >= CELL_WITH_TEXT;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        double w = weights[r][c];
        double t = max > 0 ? w / max : 0;
        double x = left + c * cell;
        double y = top + r * cell;
        if (causal && c > r) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<rect class=\"cell masked\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\""
                      + " height=\"%.2f\" fill=\"%s\" data-row=\"%d\" data-col=\"%d\">"
                      + "<title>masked: %s does not attend to %s</title></rect>%n",
                  x,
                  y,
                  cell,
                  cell,
                  MASKED,
                  r,
                  c,
                  escape(tokens[r]),
                  escape(tokens[c])));
          continue;
        }
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"cell\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" data-row=\"%d\" data-col=\"%d\" data-weight=\"%s\"",
                x,
                y,
                cell,
                cell,
                colour(t),
                r,
                c,
                Double.toString(w)));
        if (n <= TOOLTIPS_UP_TO) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "><title>%s → %s: %.4f</title></rect>%n",
                  escape(tokens[r]),
                  escape(tokens[c]),
                  w));
        } else {
          svg.append("/>\n");
        }
        if (text) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"middle\" dominant-baseline=\"middle\" fill=\"%s\">%.2f</text>%n",
                  x + cell / 2,
                  y + cell / 2,
                  Math.min(12, cell * 0.3),
                  t > 0.55 ? "#ffffff" : "#000000",
                  w));
        }
      }
    }
    legend(svg, legendX, top, Math.max(120, Math.min(grid, 320)), max);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void legend(StringBuilder svg, double x, double y, double h, double max) {
    svg.append("<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
    for (int i = 0; i < STOPS.length; i++) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<stop offset=\"%.2f\" stop-color=\"%s\"/>",
              i / (double) (STOPS.length - 1),
              colour(i / (double) (STOPS.length - 1))));
    }
    svg.append("</linearGradient></defs>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect class=\"legend\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"%.1f\" fill=\"url(#scale)\" stroke=\"#999\"/>%n",
            x,
            y,
            h));
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" dominant-baseline=\"middle\">%.3f</text>%n",
              x + 22,
              y + h - h * i / 4,
              v));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">weight</text>%n",
            x,
            y - 16));
  }

  /** The scale's colour at t in [0, 1], as #rrggbb. */
  static String colour(double t) {
    double p = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) p);
    double f = p - i;
    int[] a = STOPS[i];
    int[] b = STOPS[i + 1];
    return String.format(
        Locale.ROOT,
        "#%02x%02x%02x",
        Math.round(a[0] + (b[0] - a[0]) * f),
        Math.round(a[1] + (b[1] - a[1]) * f),
        Math.round(a[2] + (b[2] - a[2]) * f));
  }

  private static String shorten(String token) {
    int points = token.codePointCount(0, token.length());
    return points <= 24 ? token : token.substring(0, token.offsetByCodePoints(0, 23)) + "…";
  }

  /**
   * Text safe in XML content and attributes: markup characters as entities, and characters XML 1.0
   * forbids (controls, lone surrogates) as U+FFFD.
   */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&':
          out.append("&amp;");
          break;
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '"':
          out.append("&quot;");
          break;
        case '\'':
          out.append("&#39;");
          break;
        default:
          if (Character.isHighSurrogate(ch)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(ch).append(s.charAt(++i));
          } else if (Character.isSurrogate(ch)
              || (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
              || ch == 0xfffe
              || ch == 0xffff) {
            out.append('\ufffd');
          } else {
            out.append(ch);
          }
      }
    }
    return out.toString();
  }
}
