package dev.stallwatch.pipeline.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The funnel report as one HTML page, {@code report.html}, beside the tables' CSV and JSON files.
 * The page is self-contained so that it can be mailed or opened from a file share without a
 * network: styles are inline and the charts are SVG drawn here, so they show without any script.
 *
 * <p>Every chart is an {@code <svg data-chart="ID">}; each of its marks (a bar or a heat-map cell)
 * has {@code class="mark"}, {@code data-value} with the table's cell exactly as it is written and a
 * {@code <title>} child as its tooltip. Marks appear in the order of the rows they come from, one
 * mark per row (two per row of {@code compare}), and a mark is never drawn with an empty box: a
 * bar of 0 is a stub of {@value #STUB} pixels, so that it can still be pointed at. The charts:
 *
 * <ul>
 *   <li>{@code funnel}: the {@code steps} rows of dimension {@code all}, a bar of {@code reached}
 *       each, with stalled and submitted beside it;
 *   <li>{@code time-at-step}: the rows of dimension {@code all} with {@code visits_timed > 0}, a bar
 *       to {@code p90_seconds} ({@code data-p90}) with {@code median_seconds} ({@code data-value})
 *       as a tick, in minutes;
 *   <li>{@code stalls-by-channel} and {@code step-hour}: heat maps of {@code stalled}, step by
 *       channel and step by local hour of arrival, one cell per row of that dimension;
 *   <li>{@code alerts-per-day}: the {@code alerts} rows of config {@code current}, bars grouped by
 *       day and coloured by route;
 *   <li>{@code compare}, only when that table is given: per row a bar for {@code current} and one
 *       for {@code other} ({@code data-config}), grouped by day and route, and the rows as a table.
 * </ul>
 *
 * <p>The configurations compared are named by the labels given, else by the {@code summary} rows
 * {@code config_current} and {@code config_other} when there are such rows, else "current" and
 * "other". A table that is missing or empty gives a chart that says "no data".
 * The same tables always give the same page, byte for byte.
 */
public final class ReportHtml {
  /** The length, in pixels, of a bar whose value is 0 or too small to see. */
  static final int STUB = 2;

  /** Colours for routes, in order (Okabe and Ito's, told apart also by most colour-blind eyes). */
  private static final String[] ROUTE_COLOURS = {
    "#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#000000", "#f0e442"
  };

  private static final String BAR = "#3b6fb6";
  private static final String TIME_BAR = "#9ecae1";
  private static final String TICK = "#08306b";
  private static final int[] COLD = {238, 243, 250};
  private static final int[] HOT = {8, 48, 107};

  private static final String STYLE =
      "body{font-family:system-ui,-apple-system,\"Segoe UI\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;"
          + "margin:24px;color:#1a1a1a;background:#fff;max-width:1200px}"
          + "h1{font-size:22px;margin:0 0 16px}h2{font-size:17px;margin:28px 0 6px}"
          + "p.note{margin:0 0 8px;color:#555;font-size:13px}"
          + "table{border-collapse:collapse;font-size:13px;margin:6px 0}"
          + "th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left}"
          + "th{background:#f3f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}"
          + "svg{display:block;margin:6px 0;overflow:visible}"
          + "svg text{font-size:12px;fill:#1a1a1a}svg text.small{font-size:10px}"
          + "svg text.light{fill:#fff}svg text.muted{fill:#666}svg text.none{font-size:14px;fill:#888}"
          + "svg .mark:hover{stroke:#000;stroke-width:1.5}"
          + "svg line.axis{stroke:#888}svg line.grid{stroke:#e4e7eb}";

  private ReportHtml() {}

  /**
   * The page for {@code tables}, found by name ({@code steps}, {@code alerts}, {@code suppressed},
   * {@code summary} and, when a comparison was made, {@code compare}); a table of the same name
   * given twice is taken the first time.
   */
  public static String render(String title, List<ReportTable> tables) {
    return render(title, tables, null, null);
  }

  /**
   * The page for {@code tables}, naming the configurations compared {@code currentLabel} and
   * {@code otherLabel} (the file names of the two configuration files, say); a null label is taken
   * from the {@code summary} table as {@link #render(String, List)} does.
   */
  public static String render(String title, List<ReportTable> tables, String currentLabel, String otherLabel) {
    Map<String, ReportTable> byName = new LinkedHashMap<>();
    for (ReportTable t : tables) {
      byName.putIfAbsent(t.name(), t);
    }
    Rows steps = Rows.of(byName.get("steps"));
    Rows alerts = Rows.of(byName.get("alerts"));
    Rows summary = Rows.of(byName.get("summary"));
    ReportTable compare = byName.get("compare");
    String current = currentLabel != null ? currentLabel : summaryValue(summary, "config_current", "current");
    String other = otherLabel != null ? otherLabel : summaryValue(summary, "config_other", "other");
    Map<String, String> routeColours = routeColours(alerts, Rows.of(compare));

    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append("</title>\n")
        .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
        .append("<h1>").append(esc(title)).append("</h1>\n");

    section(sb, "Summary", null);
    htmlTable(sb, byName.get("summary"), Map.of());

    section(sb, "Funnel", "Applicants who reached each step, with how many stalled there and how many submitted.");
    sb.append(funnel(steps.where("dimension", "all"))).append('\n');

    section(sb, "Time at step", "Bar: up to the 90th percentile of the time spent at the step; dark tick: the median.");
    sb.append(timeAtStep(steps.where("dimension", "all").whereTimed())).append('\n');

    section(sb, "Stalls by channel", "Applicants who stalled at each step, by channel.");
    sb.append(channelHeatMap(steps.where("dimension", "channel"))).append('\n');

    section(sb, "Stalls by hour of arrival", "Applicants who stalled at each step, by the local hour they arrived at it.");
    sb.append(hourHeatMap(steps.where("dimension", "hour"))).append('\n');

    section(sb, "Alerts per day", "Alerts sent per day and route" + (compare == null ? "." : " with the configuration " + current + "."));
    sb.append(alertsPerDay(alerts.where("config", "current"), routeColours)).append('\n');

    if (compare != null) {
      section(sb, "Comparison", "Alerts per day and route with " + current + " (solid) and " + other + " (pale).");
      sb.append(compare(Rows.of(compare), routeColours, current, other)).append('\n');
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("current", "current: " + current);
      headers.put("other", "other: " + other);
      headers.put("only_current", "only current");
      headers.put("only_other", "only other");
      headers.put("median_shift_seconds", "median shift (s)");
      headers.put("mean_shift_seconds", "mean shift (s)");
      htmlTable(sb, compare, headers);
    }

    section(sb, "Suppressed alerts", "Alerts not sent, by reason.");
    htmlTable(sb, byName.get("suppressed"), Map.of());

    return sb.append("</body>\n</html>\n").toString();
  }

  // ---- charts ------------------------------------------------------------------------------

  private static String funnel(Rows rows) {
    int labelW = 200;
    int barW = 440;
    int gap = 64;
    int sideW = 250;
    int top = 24;
    int rowH = 26;
    int barH = 16;
    int width = labelW + barW + gap + sideW;
    if (rows.isEmpty()) {
      return Svg.empty("funnel", width, "Funnel");
    }
    long max = 0;
    for (Row r : rows) {
      max = Math.max(max, r.number("reached"));
    }
    Ticks ticks = Ticks.of(max);
    int plotBottom = top + rows.size() * rowH;
    Svg svg = new Svg("funnel", width, plotBottom + 44, "Funnel: applicants who reached each step");
    svg.text(labelW + barW + gap, top - 8, "stalled · submitted", "start", "muted");
    gridAndAxisX(svg, ticks, labelW, barW, top, plotBottom, "applicants who reached the step");
    int i = 0;
    for (Row r : rows) {
      double y = top + i * rowH;
      Step step = Step.of(r);
      svg.text(labelW - 8, y + rowH / 2.0 + 4, truncate(step.label(), 24), "end", null, step.describe());
      double w = bar(r.number("reached"), ticks.max, barW);
      svg.mark(labelW, y + (rowH - barH) / 2.0, w, barH, BAR, r.get("reached"), null,
          step.label() + ": reached " + r.get("reached") + ", stalled " + r.get("stalled")
              + ", submitted " + r.get("submitted") + ", left for a later step " + r.get("left_for_later_step"));
      svg.text(labelW + w + 4, y + rowH / 2.0 + 4, r.get("reached"), "start", "small");
      svg.text(labelW + barW + gap, y + rowH / 2.0 + 4, r.get("stalled") + " · " + r.get("submitted"), "start", null);
      i++;
    }
    return svg.end();
  }

  private static String timeAtStep(Rows rows) {
    int labelW = 200;
    int barW = 500;
    int sideW = 260;
    int top = 12;
    int rowH = 26;
    int barH = 14;
    int width = labelW + barW + 16 + sideW;
    if (rows.isEmpty()) {
      return Svg.empty("time-at-step", width, "Time at step");
    }
    long maxSeconds = 0;
    for (Row r : rows) {
      maxSeconds = Math.max(maxSeconds, Math.max(r.number("p90_seconds"), r.number("median_seconds")));
    }
    Ticks minutes = Ticks.ofMinutes(maxSeconds);
    double domainSeconds = minutes.max * 60;
    int plotBottom = top + rows.size() * rowH;
    Svg svg = new Svg("time-at-step", width, plotBottom + 44, "Time at step in minutes: median and 90th percentile");
    gridAndAxisX(svg, minutes, labelW, barW, top, plotBottom, "minutes at the step");
    int i = 0;
    for (Row r : rows) {
      double y = top + i * rowH;
      Step step = Step.of(r);
      long median = r.number("median_seconds");
      long p90 = r.number("p90_seconds");
      svg.text(labelW - 8, y + rowH / 2.0 + 4, truncate(step.label(), 24), "end", null, step.describe());
      double w = bar(p90, domainSeconds, barW);
      double by = y + (rowH - barH) / 2.0;
      svg.mark(labelW, by, w, barH, TIME_BAR, r.get("median_seconds"), "data-p90=\"" + esc(r.get("p90_seconds")) + "\"",
          step.label() + ": median " + minutesText(median) + " min (" + median + " s), 90th percentile "
              + minutesText(p90) + " min (" + p90 + " s), over " + r.get("visits_timed") + " timed visits");
      double mx = labelW + Math.min(barW, median / domainSeconds * barW);
      svg.raw("<line class=\"median\" x1=\"" + num(mx) + "\" y1=\"" + num(by - 3) + "\" x2=\"" + num(mx) + "\" y2=\""
          + num(by + barH + 3) + "\" stroke=\"" + TICK + "\" stroke-width=\"3\"/>");
      svg.text(labelW + barW + 16, y + rowH / 2.0 + 4,
          "median " + minutesText(median) + " · p90 " + minutesText(p90) + " min", "start", null);
      i++;
    }
    return svg.end();
  }

  private static String channelHeatMap(Rows rows) {
    Map<String, String> columns = new TreeMap<>(ReportHtml::compareCodes);
    for (Row r : rows) {
      String name = r.get("value_name");
      columns.merge(r.get("value"), name, (a, b) -> a.isEmpty() ? b : a);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> tips = new LinkedHashMap<>();
    columns.forEach((code, name) -> {
      labels.put(code, truncate(name.isEmpty() ? code : name, 14));
      tips.put(code, name.isEmpty() ? "channel " + code : "channel " + name + " (" + code + ")");
    });
    return heatMap("stalls-by-channel", "Stalls by step and channel", rows, labels, tips, 46, true, "channel");
  }

  private static String hourHeatMap(Rows rows) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int h = 0; h < 24; h++) {
      String hour = String.format(Locale.ROOT, "%02d", h);
      labels.put(hour, hour);
    }
    TreeSet<String> others = new TreeSet<>();
    for (Row r : rows) {
      if (!labels.containsKey(r.get("value"))) {
        others.add(r.get("value"));
      }
    }
    others.forEach(v -> labels.put(v, v.isEmpty() ? "?" : v));
    Map<String, String> tips = new LinkedHashMap<>();
    labels.keySet().forEach(h -> tips.put(h, "hour " + h));
    return heatMap("step-hour", "Stalls by step and local hour of arrival", rows, labels, tips, 30, false,
        "local hour of arrival at the step");
  }

  /**
   * A heat map of {@code stalled}: the steps as rows (by step code, the unknown step last), the
   * given columns (keyed by {@code value}); one cell per row, placed by its step and value.
   */
  private static String heatMap(String id, String label, Rows rows, Map<String, String> columns,
      Map<String, String> columnTips, int cellW, boolean rotate, String columnTitle) {
    int labelW = 200;
    int cellH = 24;
    int top = rotate ? 96 : 40;
    if (rows.isEmpty()) {
      return Svg.empty(id, Math.max(520, labelW + columns.size() * cellW + 20), label);
    }
    TreeMap<Step, Integer> stepIndex = new TreeMap<>();
    long max = 0;
    for (Row r : rows) {
      stepIndex.putIfAbsent(Step.of(r), 0);
      max = Math.max(max, r.number("stalled"));
    }
    int s = 0;
    for (Map.Entry<Step, Integer> e : stepIndex.entrySet()) {
      e.setValue(s++);
    }
    List<String> columnKeys = new ArrayList<>(columns.keySet());
    int gridW = columnKeys.size() * cellW;
    int gridH = stepIndex.size() * cellH;
    int width = Math.max(520, labelW + gridW + 20);
    int legendY = top + gridH + 30;
    Svg svg = new Svg(id, width, legendY + 34, label);
    svg.text(labelW + gridW / 2.0, 12, columnTitle, "middle", "muted");
    for (int c = 0; c < columnKeys.size(); c++) {
      double x = labelW + c * cellW + cellW / 2.0;
      String text = columns.get(columnKeys.get(c));
      if (rotate) {
        svg.raw("<text x=\"" + num(x) + "\" y=\"" + (top - 6) + "\" transform=\"rotate(-45 " + num(x) + " " + (top - 6)
            + ")\" text-anchor=\"start\">" + esc(text) + "<title>" + esc(columnTips.get(columnKeys.get(c)))
            + "</title></text>");
      } else {
        svg.text(x, top - 8, text, "middle", "small", columnTips.get(columnKeys.get(c)));
      }
    }
    for (Map.Entry<Step, Integer> e : stepIndex.entrySet()) {
      double y = top + e.getValue() * cellH;
      svg.text(labelW - 8, y + cellH / 2.0 + 4, truncate(e.getKey().label(), 24), "end", null, e.getKey().describe());
    }
    svg.raw("<rect x=\"" + labelW + "\" y=\"" + top + "\" width=\"" + gridW + "\" height=\"" + gridH
        + "\" fill=\"none\" stroke=\"#d0d7de\"/>");
    for (Row r : rows) {
      int c = columnKeys.indexOf(r.get("value"));
      int rowIndex = stepIndex.get(Step.of(r));
      double x = labelW + c * cellW;
      double y = top + rowIndex * cellH;
      long v = r.number("stalled");
      double t = max == 0 ? 0 : (double) v / max;
      svg.mark(x, y, cellW, cellH, colour(t), r.get("stalled"), "stroke=\"#fff\"",
          Step.of(r).label() + " · " + columnTips.get(r.get("value")) + ": stalled " + r.get("stalled")
              + " of " + r.get("reached") + " who reached the step");
      String text = r.get("stalled");
      if (text.length() * 6.5 <= cellW - 4) {
        svg.text(x + cellW / 2.0, y + cellH / 2.0 + 3.5, text, "middle", t > 0.5 ? "small light" : "small");
      }
    }
    // the legend: the colour scale from 0 to the largest count
    String gradient = "scale-" + id;
    svg.raw("<defs><linearGradient id=\"" + gradient + "\"><stop offset=\"0\" stop-color=\"" + colour(0)
        + "\"/><stop offset=\"1\" stop-color=\"" + colour(1) + "\"/></linearGradient></defs>");
    svg.text(labelW - 8, legendY + 10, "stalled", "end", "muted");
    svg.raw("<rect x=\"" + labelW + "\" y=\"" + legendY + "\" width=\"160\" height=\"12\" fill=\"url(#" + gradient
        + ")\" stroke=\"#d0d7de\"/>");
    svg.text(labelW, legendY + 26, "0", "start", "small");
    svg.text(labelW + 160, legendY + 26, Long.toString(max), "end", "small");
    return svg.end();
  }

  private static String alertsPerDay(Rows rows, Map<String, String> routeColours) {
    if (rows.isEmpty()) {
      return Svg.empty("alerts-per-day", 640, "Alerts per day");
    }
    TreeSet<String> days = new TreeSet<>();
    TreeSet<String> routes = new TreeSet<>();
    long max = 0;
    for (Row r : rows) {
      days.add(r.get("occur_date"));
      routes.add(r.get("route"));
      max = Math.max(max, r.number("alerts"));
    }
    List<String> dayList = new ArrayList<>(days);
    List<String> routeList = new ArrayList<>(routes);
    int barW = 14;
    int groupW = routeList.size() * barW + 14;
    Columns layout = new Columns(dayList.size(), groupW, max);
    Svg svg = new Svg("alerts-per-day", layout.width, layout.height, "Alerts per day, by route");
    layout.axes(svg, dayList, "alerts");
    for (Row r : rows) {
      int g = dayList.indexOf(r.get("occur_date"));
      int k = routeList.indexOf(r.get("route"));
      double x = layout.groupX(g) + 7 + k * barW;
      double h = bar(r.number("alerts"), layout.ticks.max, Columns.PLOT_H);
      svg.mark(x + 1, Columns.TOP + Columns.PLOT_H - h, barW - 2, h, routeColours.get(r.get("route")), r.get("alerts"),
          null, day(r.get("occur_date")) + " · route " + r.get("route") + ": " + r.get("alerts") + " alerts");
    }
    List<Swatch> legend = new ArrayList<>();
    routeList.forEach(route -> legend.add(new Swatch(routeColours.get(route), "1", "route " + route)));
    layout.legend(svg, legend);
    return svg.end();
  }

  private static String compare(Rows rows, Map<String, String> routeColours, String currentLabel, String otherLabel) {
    if (rows.isEmpty()) {
      return Svg.empty("compare", 640, "Comparison");
    }
    TreeSet<String> days = new TreeSet<>();
    TreeSet<String> routes = new TreeSet<>();
    long max = 0;
    for (Row r : rows) {
      days.add(r.get("day"));
      routes.add(r.get("route"));
      max = Math.max(max, Math.max(r.number("current"), r.number("other")));
    }
    List<String> dayList = new ArrayList<>(days);
    List<String> routeList = new ArrayList<>(routes);
    int barW = 11;
    int pairW = 2 * barW + 4;
    int groupW = routeList.size() * pairW + 12;
    Columns layout = new Columns(dayList.size(), groupW, max);
    Svg svg = new Svg("compare", layout.width, layout.height, "Alerts per day and route, current and other configuration");
    layout.axes(svg, dayList, "alerts");
    for (Row r : rows) {
      int g = dayList.indexOf(r.get("day"));
      int k = routeList.indexOf(r.get("route"));
      double x = layout.groupX(g) + 6 + k * pairW;
      String fill = routeColours.get(r.get("route"));
      String shift = r.get("median_shift_seconds").isEmpty() ? "" : ", median shift " + r.get("median_shift_seconds") + " s";
      String common = day(r.get("day")) + " · route " + r.get("route") + ": ";
      String detail = " (only current " + r.get("only_current") + ", only other " + r.get("only_other") + ", both "
          + r.get("both") + shift + ")";
      double hc = bar(r.number("current"), layout.ticks.max, Columns.PLOT_H);
      svg.mark(x, Columns.TOP + Columns.PLOT_H - hc, barW, hc, fill, r.get("current"), "data-config=\"current\"",
          common + r.get("current") + " alerts with " + currentLabel + detail);
      double ho = bar(r.number("other"), layout.ticks.max, Columns.PLOT_H);
      svg.mark(x + barW + 1, Columns.TOP + Columns.PLOT_H - ho, barW, ho, fill, r.get("other"),
          "data-config=\"other\" fill-opacity=\"0.4\" stroke=\"" + fill + "\"",
          common + r.get("other") + " alerts with " + otherLabel + detail);
    }
    List<Swatch> legend = new ArrayList<>();
    routeList.forEach(route -> legend.add(new Swatch(routeColours.get(route), "1", "route " + route)));
    legend.add(new Swatch("#777", "1", "solid: " + currentLabel));
    legend.add(new Swatch("#777", "0.4", "pale: " + otherLabel));
    layout.legend(svg, legend);
    return svg.end();
  }

  /** The grid, the axis and its ticks along x, for the charts of horizontal bars. */
  private static void gridAndAxisX(Svg svg, Ticks ticks, int x0, int w, int top, int bottom, String title) {
    for (double t : ticks.values) {
      double x = x0 + t / ticks.max * w;
      svg.raw("<line class=\"grid\" x1=\"" + num(x) + "\" y1=\"" + top + "\" x2=\"" + num(x) + "\" y2=\"" + bottom + "\"/>");
      svg.text(x, bottom + 16, decimal(t), "middle", "small");
    }
    svg.raw("<line class=\"axis\" x1=\"" + x0 + "\" y1=\"" + bottom + "\" x2=\"" + (x0 + w) + "\" y2=\"" + bottom + "\"/>");
    svg.text(x0 + w / 2.0, bottom + 34, title, "middle", "muted");
  }

  /**
   * The layout of the charts of vertical bars in groups, one group per day: the plot, the axis of
   * counts on the left, the days below (as many as fit) and a legend under them.
   */
  private static final class Columns {
    static final int LEFT = 56;
    static final int TOP = 16;
    static final int PLOT_H = 220;

    final int groups;
    final int groupW;
    final Ticks ticks;
    final int width;
    final int height = TOP + PLOT_H + 80;

    Columns(int groups, int groupW, long max) {
      this.groups = groups;
      this.groupW = groupW;
      this.ticks = Ticks.of(max);
      this.width = Math.max(640, LEFT + groups * groupW + 24);
    }

    double groupX(int g) {
      return LEFT + g * groupW;
    }

    void axes(Svg svg, List<String> days, String title) {
      int bottom = TOP + PLOT_H;
      for (double t : ticks.values) {
        double y = bottom - t / ticks.max * PLOT_H;
        svg.raw("<line class=\"grid\" x1=\"" + LEFT + "\" y1=\"" + num(y) + "\" x2=\"" + (LEFT + groups * groupW)
            + "\" y2=\"" + num(y) + "\"/>");
        svg.text(LEFT - 6, y + 4, decimal(t), "end", "small");
      }
      svg.raw("<line class=\"axis\" x1=\"" + LEFT + "\" y1=\"" + bottom + "\" x2=\"" + (LEFT + groups * groupW)
          + "\" y2=\"" + bottom + "\"/>");
      svg.raw("<text x=\"14\" y=\"" + (TOP + PLOT_H / 2) + "\" transform=\"rotate(-90 14 " + (TOP + PLOT_H / 2)
          + ")\" text-anchor=\"middle\" class=\"muted\">" + esc(title) + "</text>");
      int every = Math.max(1, (int) Math.ceil(44.0 / groupW));
      for (int g = 0; g < days.size(); g++) {
        if (g % every == 0) {
          svg.text(groupX(g) + groupW / 2.0, bottom + 16, shortDay(days.get(g)), "middle", "small", day(days.get(g)));
        }
      }
    }

    void legend(Svg svg, List<Swatch> entries) {
      double x = LEFT;
      double y = TOP + PLOT_H + 40;
      for (Swatch e : entries) {
        svg.raw("<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"12\" height=\"12\" fill=\"" + e.colour()
            + "\" fill-opacity=\"" + e.opacity() + "\" stroke=\"" + e.colour() + "\"/>");
        svg.text(x + 16, y + 10, e.text(), "start", null);
        x += 34 + 7 * e.text().length();
        if (x > width - 120) {
          x = LEFT;
          y += 18;
        }
      }
    }
  }

  /** An entry of a legend: a square of a colour, at an opacity, and what it stands for. */
  private record Swatch(String colour, String opacity, String text) {}

  // ---- tables ------------------------------------------------------------------------------

  private static void section(StringBuilder sb, String heading, String note) {
    sb.append("<h2>").append(esc(heading)).append("</h2>\n");
    if (note != null) {
      sb.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
    }
  }

  /** {@code table} as an HTML table; {@code headers} renames some columns for reading. */
  private static void htmlTable(StringBuilder sb, ReportTable table, Map<String, String> headers) {
    if (table == null || table.rows().isEmpty()) {
      sb.append("<p class=\"note\">no data</p>\n");
      return;
    }
    sb.append("<table data-table=\"").append(esc(table.name())).append("\">\n<thead><tr>");
    for (String c : table.columns()) {
      sb.append("<th>").append(esc(headers.getOrDefault(c, c.replace('_', ' ')))).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : table.rows()) {
      sb.append("<tr>");
      for (String cell : row) {
        sb.append(isNumber(cell) ? "<td class=\"num\">" : "<td>").append(esc(cell)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static String summaryValue(Rows summary, String metric, String otherwise) {
    for (Row r : summary) {
      if (r.get("metric").equals(metric) && !r.get("value").isEmpty()) {
        return r.get("value");
      }
    }
    return otherwise;
  }

  /** One colour per route of either table, by the routes' sorted order, the same in every chart. */
  private static Map<String, String> routeColours(Rows alerts, Rows compare) {
    TreeSet<String> routes = new TreeSet<>();
    alerts.forEach(r -> routes.add(r.get("route")));
    compare.forEach(r -> routes.add(r.get("route")));
    Map<String, String> colours = new LinkedHashMap<>();
    int i = 0;
    for (String route : routes) {
      colours.put(route, ROUTE_COLOURS[i++ % ROUTE_COLOURS.length]);
    }
    return colours;
  }

  /** The length of a bar for {@code value} on a scale of {@code max} to {@code length}, never under a stub. */
  private static double bar(long value, double max, double length) {
    return Math.max(STUB, max <= 0 ? 0 : Math.min(length, value / max * length));
  }

  private static String colour(double t) {
    StringBuilder sb = new StringBuilder("#");
    for (int i = 0; i < 3; i++) {
      int c = (int) Math.round(COLD[i] + (HOT[i] - COLD[i]) * t);
      sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
    }
    return sb.toString();
  }

  /** Codes that are numbers in numeric order, before any others in text order. */
  private static int compareCodes(String a, String b) {
    boolean na = isNumber(a);
    boolean nb = isNumber(b);
    if (na && nb) {
      int c = new BigDecimal(a).compareTo(new BigDecimal(b));
      return c != 0 ? c : a.compareTo(b);
    }
    return na ? -1 : nb ? 1 : a.compareTo(b);
  }

  static boolean isNumber(String s) {
    return s.matches("-?[0-9]{1,18}");
  }

  private static String minutesText(long seconds) {
    BigDecimal m = BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), seconds < 600 ? 1 : 0, RoundingMode.HALF_UP);
    return m.stripTrailingZeros().toPlainString();
  }

  /** A tick's value, at most 6 decimals and none when it is whole. */
  private static String decimal(double v) {
    BigDecimal d = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  /** A coordinate with one decimal at most, the same text on every machine. */
  static String num(double v) {
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + Math.abs(tenths % 10);
  }

  private static String day(String yyyyMMdd) {
    return yyyyMMdd.matches("[0-9]{8}")
        ? yyyyMMdd.substring(0, 4) + "-" + yyyyMMdd.substring(4, 6) + "-" + yyyyMMdd.substring(6)
        : yyyyMMdd;
  }

  private static String shortDay(String yyyyMMdd) {
    return yyyyMMdd.matches("[0-9]{8}") ? yyyyMMdd.substring(4, 6) + "-" + yyyyMMdd.substring(6) : yyyyMMdd;
  }

  private static String truncate(String s, int codePoints) {
    return s.codePointCount(0, s.length()) <= codePoints
        ? s
        : s.substring(0, s.offsetByCodePoints(0, codePoints - 1)) + "…";
  }

  /** {@code s} as HTML or XML text or attribute value. */
  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            sb.append(' ');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** A step of the funnel as its columns name it; ordered by step code, the unknown step last. */
  private record Step(String stepClass, String code, String name, String rule) implements Comparable<Step> {
    static Step of(Row r) {
      return new Step(r.get("step_class"), r.get("step_code"), r.get("step_name"), r.get("rule"));
    }

    String label() {
      String n = name.isEmpty() ? stepClass : name;
      return code.isEmpty() ? n : code + " " + n;
    }

    String describe() {
      return label() + " (" + stepClass + (rule.isEmpty() ? "" : ", rule " + rule) + ")";
    }

    @Override
    public int compareTo(Step o) {
      int c = compareCodes(code.isEmpty() ? "\uffff" : code, o.code.isEmpty() ? "\uffff" : o.code);
      if (c == 0) {
        c = stepClass.compareTo(o.stepClass);
      }
      if (c == 0) {
        c = name.compareTo(o.name);
      }
      return c != 0 ? c : rule.compareTo(o.rule);
    }

  }

  /** Round ticks for an axis from 0: about five of them, the last at or above the largest value. */
  private static final class Ticks {
    final List<Double> values = new ArrayList<>();
    final double max;

    private Ticks(double top, boolean whole) {
      double target = top <= 0 ? 1 : top;
      double raw = target / 5;
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double norm = raw / magnitude;
      double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
      if (whole) {
        step = Math.max(1, Math.round(step));
      }
      int n = (int) Math.ceil(target / step - 1e-9);
      for (int i = 0; i <= n; i++) {
        values.add(i * step);
      }
      max = n * step;
    }

    static Ticks of(long max) {
      return new Ticks(max, true);
    }

    static Ticks ofMinutes(long maxSeconds) {
      return new Ticks(maxSeconds / 60.0, false);
    }
  }

  /** A chart being drawn, as SVG text. */
  private static final class Svg {
    private final StringBuilder sb = new StringBuilder(4096);

    Svg(String id, int width, int height, String label) {
      sb.append("<svg data-chart=\"").append(esc(id)).append("\" width=\"").append(width).append("\" height=\"")
          .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
          .append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">\n");
    }

    /** A chart of no marks that says so. */
    static String empty(String id, int width, String label) {
      Svg svg = new Svg(id, width, 60, label + ": no data");
      svg.raw("<rect x=\"0.5\" y=\"0.5\" width=\"" + (width - 1) + "\" height=\"59\" fill=\"#fafafa\" stroke=\"#d0d7de\"/>");
      svg.text(width / 2.0, 35, "no data", "middle", "none");
      return svg.end();
    }

    void raw(String element) {
      sb.append(element).append('\n');
    }

    void text(double x, double y, String text, String anchor, String cls) {
      text(x, y, text, anchor, cls, null);
    }

    void text(double x, double y, String text, String anchor, String cls, String tip) {
      sb.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"").append(anchor)
          .append('"');
      if (cls != null) {
        sb.append(" class=\"").append(cls).append('"');
      }
      sb.append('>').append(esc(text));
      if (tip != null) {
        sb.append("<title>").append(esc(tip)).append("</title>");
      }
      sb.append("</text>\n");
    }

    /** A mark: a rectangle with its value and its tooltip; {@code extra} is more attributes, escaped. */
    void mark(double x, double y, double w, double h, String fill, String value, String extra, String tip) {
      sb.append("<rect class=\"mark\" data-value=\"").append(esc(value)).append("\" x=\"").append(num(x))
          .append("\" y=\"").append(num(y)).append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h))
          .append("\" fill=\"").append(fill).append('"');
      if (extra != null) {
        sb.append(' ').append(extra);
      }
      sb.append("><title>").append(esc(tip)).append("</title></rect>\n");
    }

    String end() {
      return sb.append("</svg>").toString();
    }
  }

  /** One row of a table, its cells by column name. */
  private record Row(ReportTable table, List<String> cells) {
    String get(String column) {
      return cells.get(table.column(column));
    }

    /** The cell as a count: 0 when it is empty or not a whole number. */
    long number(String column) {
      String s = get(column);
      return isNumber(s) ? Math.max(0, Long.parseLong(s)) : 0;
    }
  }

  /** Some rows of one table, in its order. */
  private static final class Rows implements Iterable<Row> {
    private final List<Row> rows;

    private Rows(List<Row> rows) {
      this.rows = rows;
    }

    static Rows of(ReportTable table) {
      List<Row> rows = new ArrayList<>();
      if (table != null) {
        table.rows().forEach(r -> rows.add(new Row(table, r)));
      }
      return new Rows(rows);
    }

    Rows where(String column, String value) {
      List<Row> kept = new ArrayList<>();
      rows.forEach(r -> {
        if (r.get(column).equals(value)) {
          kept.add(r);
        }
      });
      return new Rows(kept);
    }

    Rows whereTimed() {
      List<Row> kept = new ArrayList<>();
      rows.forEach(r -> {
        if (r.number("visits_timed") > 0) {
          kept.add(r);
        }
      });
      return new Rows(kept);
    }

    boolean isEmpty() {
      return rows.isEmpty();
    }

    int size() {
      return rows.size();
    }

    @Override
    public Iterator<Row> iterator() {
      return rows.iterator();
    }
  }
}
