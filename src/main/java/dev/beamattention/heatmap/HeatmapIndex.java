package dev.beamattention.heatmap;

import static dev.beamattention.heatmap.HeatmapSvg.escape;

import java.util.List;

/**
 * {@code heatmaps/index.html}: every drawn sentence with its heads side by side. It only refers to
 * the SVG files beside it, so it works opened from the file system, with nothing fetched.
 */
final class HeatmapIndex {
  private HeatmapIndex() {}

  /** A drawn sentence: its id, tokens, and the file name of each head's picture. */
  public record Entry(String id, String[] tokens, List<String> files, List<String> captions) {}

  public static String html(List<Entry> entries, String about) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Attention heatmaps</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#222}\n")
        .append("section{margin-bottom:40px}\n")
        .append(".heads{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\n")
        .append("figure{margin:0;flex:1 1 0;min-width:320px;max-width:720px}\n")
        .append("figure img{width:100%;height:auto;border:1px solid #ddd}\n")
        .append("figcaption{font-size:13px;color:#555}\n.tokens{color:#555}\n")
        .append("</style>\n</head>\n<body>\n<h1>Attention heatmaps</h1>\n<p>")
        .append(escape(about))
        .append("</p>\n<ul>\n");
    for (int i = 0; i < entries.size(); i++) {
      html.append("<li><a href=\"#s")
          .append(i)
          .append("\">")
          .append(escape(entries.get(i).id()))
          .append("</a></li>\n");
    }
    html.append("</ul>\n");
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      html.append("<section id=\"s")
          .append(i)
          .append("\">\n<h2>")
          .append(escape(e.id()))
          .append("</h2>\n")
          .append("<p class=\"tokens\">")
          .append(escape(String.join(" ", e.tokens())))
          .append("</p>\n")
          .append("<div class=\"heads\">\n");
      if (e.files().isEmpty()) {
        for (String caption : e.captions()) {
          html.append("<p>").append(escape(caption)).append("</p>\n");
        }
      }
      for (int h = 0; h < e.files().size(); h++) {
        html.append("<figure><img src=\"")
            .append(escape(e.files().get(h)))
            .append("\" alt=\"")
            .append(escape(e.captions().get(h)))
            .append("\"><figcaption>")
            .append(escape(e.captions().get(h)))
            .append("</figcaption></figure>\n");
      }
      html.append("</div>\n</section>\n");
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }
}
