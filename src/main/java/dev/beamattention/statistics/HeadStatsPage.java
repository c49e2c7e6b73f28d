package dev.beamattention.statistics;

import dev.beamattention.core.HeadSums;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * {@code head-stats.html}: a table of the heads, a small SVG bar chart per statistic (one bar per
 * head) and each head's top pairs. Everything is inline: no script, no style sheet, no font or
 * picture from elsewhere, so it works opened from the file system.
 */
final class HeadStatsPage {
  private static final int BAR = 22;
  private static final int GAP = 6;
  private static final int CHART_HEIGHT = 120;

  private HeadStatsPage() {}

  /** A statistic: its name, what it means, and its value for a head (empty when it has none). */
  private record Stat(String name, String about, Function<HeadSums.Summary, OptionalDouble> of) {}

  static String html(List<HeadReport> reports, boolean causal) {
    List<Stat> all =
        List.of(
            new Stat("entropy", "mean row entropy, nats", s -> OptionalDouble.of(s.entropy())),
            new Stat("distance", "mean distance attended", s -> OptionalDouble.of(s.distance())),
            new Stat("self", "mean weight on the same token", s -> OptionalDouble.of(s.self())),
            new Stat("previous", "mean weight on the previous token", s -> s.previous()),
            new Stat("next", "mean weight on the next token", s -> s.next()),
            new Stat("first", "mean weight on the first token", s -> OptionalDouble.of(s.first())));
    List<Stat> stats = causal ? all.stream().filter(s -> !s.name().equals("next")).toList() : all;
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Attention statistics per head</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#222}\n")
        .append("table{border-collapse:collapse;margin-bottom:24px}\n")
        .append("th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;font-size:14px}\n")
        .append("td.t{text-align:left}\n.charts{display:flex;flex-wrap:wrap;gap:18px}\n")
        .append("figure{margin:0}\nfigcaption{font-size:13px;color:#555;max-width:260px}\n")
        .append(".pairs{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}\n")
        .append("</style>\n</head>\n<body>\n<h1>Attention statistics per head</h1>\n<p>")
        .append(reports.size())
        .append(" heads over ")
        .append(reports.isEmpty() ? 0 : reports.get(0).summary().sentences())
        .append(" sentences and ")
        .append(HeadStatsJson.tokens(reports))
        .append(" tokens")
        .append(causal ? ", with a causal mask (no next token; visible cells only)" : "")
        .append(". Means are over rows: every row of every sentence counts once.</p>\n");

    h.append("<table>\n<tr><th>head</th><th>sentences</th><th>rows</th>");
    for (Stat s : stats) {
      h.append("<th>").append(s.name()).append("</th>");
    }
    h.append("</tr>\n");
    for (HeadReport r : reports) {
      h.append("<tr><td>")
          .append(r.head())
          .append("</td><td>")
          .append(r.summary().sentences())
          .append("</td><td>")
          .append(r.summary().rows())
          .append("</td>");
      for (Stat s : stats) {
        h.append("<td>").append(format(s.of().apply(r.summary()))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n<div class=\"charts\">\n");
    for (Stat s : stats) {
      h.append(chart(reports, s));
    }
    h.append("</div>\n<h2>Token pairs drawing the most weight</h2>\n<div class=\"pairs\">\n");
    for (HeadReport r : reports) {
      h.append("<table>\n<tr><th colspan=\"4\">head ")
          .append(r.head())
          .append("</th></tr>\n<tr><th>from</th><th>to</th><th>mass</th><th>cells</th></tr>\n");
      for (TopPair p : r.topPairs()) {
        h.append("<tr><td class=\"t\">")
            .append(escape(p.from()))
            .append("</td><td class=\"t\">")
            .append(escape(p.to()))
            .append("</td><td>")
            .append(String.format(Locale.ROOT, "%.3f", p.mass()))
            .append("</td><td>")
            .append(p.count())
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    h.append("</div>\n</body>\n</html>\n");
    return h.toString();
  }

  /** One bar per head, scaled to the largest value; the value written over each bar. */
  private static String chart(List<HeadReport> reports, Stat stat) {
    double max = 0;
    for (HeadReport r : reports) {
      OptionalDouble v = stat.of().apply(r.summary());
      if (v.isPresent()) {
        max = Math.max(max, v.getAsDouble());
      }
    }
    int width = Math.max(160, GAP + reports.size() * (BAR + GAP));
    int height = CHART_HEIGHT + 34;
    StringBuilder svg = new StringBuilder();
    svg.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"")
        .append(stat.name())
        .append(" per head\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>\n");
    for (int i = 0; i < reports.size(); i++) {
      HeadReport r = reports.get(i);
      OptionalDouble v = stat.of().apply(r.summary());
      int x = GAP + i * (BAR + GAP);
      double value = v.orElse(0);
      int bar = max > 0 ? (int) Math.round(value / max * (CHART_HEIGHT - 16)) : 0;
      int top = 14 + (CHART_HEIGHT - 16) - bar;
      svg.append("<rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(top)
          .append("\" width=\"")
          .append(BAR)
          .append("\" height=\"")
          .append(bar)
          .append("\" fill=\"#3b6ea5\"><title>head ")
          .append(r.head())
          .append(": ")
          .append(format(v))
          .append("</title></rect>\n<text x=\"")
          .append(x + BAR / 2)
          .append("\" y=\"")
          .append(CHART_HEIGHT + 12)
          .append("\" font-size=\"11\" text-anchor=\"middle\">")
          .append(r.head())
          .append("</text>\n");
    }
    svg.append("<text x=\"4\" y=\"")
        .append(height - 6)
        .append("\" font-size=\"11\" fill=\"#555\">head; tallest = ")
        .append(String.format(Locale.ROOT, "%.4f", max))
        .append("</text>\n</svg><figcaption><b>")
        .append(stat.name())
        .append("</b>: ")
        .append(stat.about())
        .append("</figcaption></figure>\n");
    return svg.toString();
  }

  private static String format(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.4f", v.getAsDouble()) : "&ndash;";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
