package dev.stallwatch.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report page on hand-made tables: one mark per row of each chart with the cell as its value,
 * in row order; text escaped; empty tables drawn as charts without marks; nothing fetched from a
 * network; the same page every time.
 */
class ReportHtmlTest {
  static final List<String> STEP_COLUMNS = List.of("dimension", "value", "value_name", "step_class", "step_code",
      "step_name", "rule", "reached", "left_for_later_step", "submitted", "stalled", "visits_timed", "median_seconds",
      "p90_seconds");
  static final String NASTY = "<b>渠道&\"A'</b>";

  static List<String> step(String dimension, String value, String valueName, String stepClass, String code,
      String name, String rule, long reached, long stalled, long submitted, long timed, String median, String p90) {
    return List.of(dimension, value, valueName, stepClass, code, name, rule, Long.toString(reached),
        Long.toString(Math.max(0, reached - stalled - submitted)), Long.toString(submitted), Long.toString(stalled),
        Long.toString(timed), median, p90);
  }

  static ReportTable steps() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(step("all", "", "", "ID_UPLOAD", "1", "上传身份证", "steps", 1200, 80, 0, 1100, "95", "610"));
    rows.add(step("all", "", "", "PROFILE_EDIT", "2", "基本资料", "steps", 1040, 0, 0, 1000, "0", "0"));
    rows.add(step("all", "", "", "VIDEO", "8", "视频见证", "video", 700, 120, 500, 640, "1830", "5400"));
    rows.add(step("all", "", "", "UNKNOWN", "", "", "", 15, 15, 0, 0, "", ""));
    rows.add(step("channel", "7", NASTY, "ID_UPLOAD", "1", "上传身份证", "steps", 600, 50, 0, 550, "90", "600"));
    rows.add(step("channel", "7", NASTY, "VIDEO", "8", "视频见证", "video", 300, 0, 280, 300, "1700", "5000"));
    rows.add(step("channel", "12", "", "ID_UPLOAD", "1", "上传身份证", "steps", 600, 30, 0, 550, "100", "620"));
    rows.add(step("branch", "3301", "", "ID_UPLOAD", "1", "上传身份证", "steps", 1200, 80, 0, 1100, "95", "610"));
    rows.add(step("hour", "09", "", "ID_UPLOAD", "1", "上传身份证", "steps", 500, 33, 0, 480, "80", "500"));
    rows.add(step("hour", "09", "", "UNKNOWN", "", "", "", 9, 9, 0, 0, "", ""));
    rows.add(step("hour", "23", "", "VIDEO", "8", "视频见证", "video", 40, 0, 30, 40, "2000", "6000"));
    return new ReportTable("steps", STEP_COLUMNS, rows);
  }

  static ReportTable alerts() {
    return new ReportTable("alerts", List.of("config", "route", "occur_date", "alerts"), List.of(
        List.of("current", "cc", "20240301", "14"),
        List.of("current", "mot", "20240301", "0"),
        List.of("current", "cc", "20240302", "9"),
        List.of("other", "cc", "20240301", "11"),
        List.of("current", "mot", "20240303", "3")));
  }

  static ReportTable suppressed() {
    return new ReportTable("suppressed", List.of("config", "route", "reason", "date", "suppressed"), List.of(
        List.of("current", "cc", "blacklist", "20240301", "2"),
        List.of("current", "mot", "once_per_period", "20240302", "5")));
  }

  static ReportTable compare() {
    return new ReportTable("compare", List.of("day", "route", "current", "other", "only_current", "only_other", "both",
        "median_shift_seconds", "mean_shift_seconds"), List.of(
        List.of("20240301", "cc", "14", "11", "4", "1", "10", "-60", "-45"),
        List.of("20240301", "mot", "0", "2", "0", "2", "0", "", ""),
        List.of("20240302", "cc", "9", "9", "0", "0", "9", "0", "0")));
  }

  static ReportTable summary(boolean labels) {
    List<List<String>> rows = new ArrayList<>(List.of(
        List.of("rows_read", "52000"), List.of("applicants", "1300"), List.of("stalls", "215")));
    if (labels) {
      rows.add(List.of("config_current", "stall-a.json"));
      rows.add(List.of("config_other", "stall-<b>.json"));
    }
    return new ReportTable("summary", List.of("metric", "value"), rows);
  }

  static List<ReportTable> allTables() {
    return List.of(steps(), alerts(), suppressed(), compare(), summary(true));
  }

  /** The marks of each chart, by chart id in page order: each mark's attributes by name. */
  static Map<String, List<Map<String, String>>> marks(String html) {
    Map<String, List<Map<String, String>>> charts = new LinkedHashMap<>();
    Matcher svg = Pattern.compile("<svg data-chart=\"([^\"]*)\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(html);
    Pattern mark = Pattern.compile("<rect class=\"mark\"([^>]*)>");
    Pattern attribute = Pattern.compile("([a-z0-9-]+)=\"([^\"]*)\"");
    while (svg.find()) {
      List<Map<String, String>> list = new ArrayList<>();
      Matcher m = mark.matcher(svg.group(2));
      while (m.find()) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher a = attribute.matcher(m.group(1));
        while (a.find()) {
          attributes.put(a.group(1), a.group(2));
        }
        list.add(attributes);
      }
      charts.put(svg.group(1), list);
    }
    return charts;
  }

  static List<String> attribute(List<Map<String, String>> marks, String name) {
    List<String> values = new ArrayList<>();
    marks.forEach(m -> values.add(m.get(name)));
    return values;
  }

  @Test
  void drawsOneMarkPerRowWithTheCellAsItsValue() {
    Map<String, List<Map<String, String>>> charts = marks(ReportHtml.render("Funnel", allTables()));
    assertEquals(List.of("funnel", "time-at-step", "stalls-by-channel", "step-hour", "alerts-per-day", "compare"),
        List.copyOf(charts.keySet()));
    assertEquals(List.of("1200", "1040", "700", "15"), attribute(charts.get("funnel"), "data-value"));
    // the unknown step has no timed visit
    assertEquals(List.of("95", "0", "1830"), attribute(charts.get("time-at-step"), "data-value"));
    assertEquals(List.of("610", "0", "5400"), attribute(charts.get("time-at-step"), "data-p90"));
    assertEquals(List.of("50", "0", "30"), attribute(charts.get("stalls-by-channel"), "data-value"));
    assertEquals(List.of("33", "9", "0"), attribute(charts.get("step-hour"), "data-value"));
    assertEquals(List.of("14", "0", "9", "3"), attribute(charts.get("alerts-per-day"), "data-value"));
    assertEquals(List.of("14", "11", "0", "2", "9", "9"), attribute(charts.get("compare"), "data-value"));
    assertEquals(List.of("current", "other", "current", "other", "current", "other"),
        attribute(charts.get("compare"), "data-config"));
  }

  @Test
  void everyMarkHasASizeAndATooltip() {
    String html = ReportHtml.render("Funnel", allTables());
    marks(html).forEach((chart, list) -> list.forEach(m -> {
      assertTrue(Double.parseDouble(m.get("width")) > 0, chart + " " + m);
      assertTrue(Double.parseDouble(m.get("height")) > 0, chart + " " + m);
    }));
    Matcher m = Pattern.compile("<rect class=\"mark\"[^>]*>(.*?)</rect>", Pattern.DOTALL).matcher(html);
    int marks = 0;
    while (m.find()) {
      assertTrue(m.group(1).matches("<title>[^<]+</title>"), m.group());
      marks++;
    }
    assertEquals(4 + 3 + 3 + 3 + 4 + 6, marks);
  }

  @Test
  void chartsAreWellFormedXmlWithTheTextEscaped() throws Exception {
    String html = ReportHtml.render("Report <&\"'>", allTables());
    assertFalse(html.contains(NASTY));
    assertFalse(html.contains("<b>"));
    assertTrue(html.contains("&lt;b&gt;渠道&amp;&quot;A&#39;&lt;/b&gt;"));
    assertTrue(html.contains("<title>Report &lt;&amp;&quot;&#39;&gt;</title>"));
    assertTrue(html.contains("stall-&lt;b&gt;.json"), "the label of the other configuration");
    Matcher svg = Pattern.compile("<svg data-chart=.*?</svg>", Pattern.DOTALL).matcher(html);
    int charts = 0;
    while (svg.find()) {
      Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8))).getDocumentElement();
      if (root.getAttribute("data-chart").equals("stalls-by-channel")) {
        NodeList texts = root.getElementsByTagName("text");
        boolean found = false;
        for (int i = 0; i < texts.getLength(); i++) {
          found |= texts.item(i).getTextContent().startsWith("<b>渠道&\"A'");
        }
        assertTrue(found, "the channel's name as a column label");
      }
      charts++;
    }
    assertEquals(6, charts);
  }

  @Test
  void emptyTablesGiveChartsWithoutMarks() {
    List<ReportTable> empty = List.of(
        new ReportTable("steps", STEP_COLUMNS, List.of()),
        new ReportTable("alerts", alerts().columns(), List.of()),
        new ReportTable("suppressed", suppressed().columns(), List.of()),
        new ReportTable("compare", compare().columns(), List.of()),
        new ReportTable("summary", List.of("metric", "value"), List.of()));
    String html = ReportHtml.render("Empty", empty);
    Map<String, List<Map<String, String>>> charts = marks(html);
    assertEquals(List.of("funnel", "time-at-step", "stalls-by-channel", "step-hour", "alerts-per-day", "compare"),
        List.copyOf(charts.keySet()));
    charts.forEach((chart, list) -> assertEquals(List.of(), list, chart));
    Matcher svg = Pattern.compile("<svg data-chart=.*?</svg>", Pattern.DOTALL).matcher(html);
    while (svg.find()) {
      assertTrue(svg.group().contains(">no data</text>"), svg.group());
    }
    // and without any table at all
    assertEquals(5, marks(ReportHtml.render("None", List.of())).size());
  }

  @Test
  void withoutAComparisonThereIsNoCompareChart() {
    String html = ReportHtml.render("Funnel", List.of(steps(), alerts(), suppressed(), summary(false)));
    Map<String, List<Map<String, String>>> charts = marks(html);
    assertEquals(List.of("funnel", "time-at-step", "stalls-by-channel", "step-hour", "alerts-per-day"),
        List.copyOf(charts.keySet()));
    assertFalse(html.contains("data-table=\"compare\""));
    assertTrue(html.contains("data-table=\"suppressed\""));
    assertTrue(html.contains("data-table=\"summary\""));
  }

  @Test
  void comparisonTableHasARowPerCompareRowAndTheLabels() {
    String html = ReportHtml.render("Funnel", allTables());
    Matcher table = Pattern.compile("<table data-table=\"compare\">.*?</table>", Pattern.DOTALL).matcher(html);
    assertTrue(table.find());
    assertEquals(1 + 3, table.group().split("<tr>", -1).length - 1);
    assertTrue(table.group().contains("current: stall-a.json"));
    assertTrue(table.group().contains("other: stall-&lt;b&gt;.json"));
    // labels given outright come before the summary's
    String given = ReportHtml.render("Funnel", allTables(), "a.json", "b.json");
    assertTrue(given.contains("<th>current: a.json</th><th>other: b.json</th>"));
    String neither = ReportHtml.render("Funnel", List.of(steps(), alerts(), compare(), summary(false)));
    assertTrue(neither.contains("<th>current: current</th><th>other: other</th>"));
  }

  @Test
  void needsNoNetworkAndIsTheSameEveryTime() {
    String html = ReportHtml.render("Funnel", allTables());
    assertFalse(html.contains("http://"));
    assertFalse(html.contains("https://"));
    assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no reference");
    assertFalse(Pattern.compile("@import|url\\((?!#)").matcher(html).find(), "no styles from elsewhere");
    assertFalse(html.contains("<script"));
    assertTrue(html.startsWith("<!DOCTYPE html>\n"));
    assertTrue(html.contains("<meta charset=\"utf-8\">"));
    assertEquals(html, ReportHtml.render("Funnel", allTables()));
  }
}
