package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.pipeline.report.ReportHtml;
import dev.stallwatch.pipeline.report.ReportTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page in a real browser (Debian's headless {@code chromium}): it opens without a
 * console error or a request beyond its own file, every chart is there, each chart's marks are
 * the rows of the report's CSV files (worked out here from the CSV text alone, in row order) and
 * each is drawn with a box of some size; a screenshot of the whole page is left in {@code
 * runners/target/report-screenshot.png} for a person to look at.
 *
 * <p>Without chromium the test fails rather than skips: CI installs it ({@code .ci/run}).
 */
class ReportBrowserIT {
  /** Per chart, the marks' values, p90s and configurations, and whether each has a box. */
  private static final String MARKS_SCRIPT = """
      (async () => {
        await document.fonts.ready;
        const charts = {};
        for (const svg of document.querySelectorAll('svg[data-chart]')) {
          charts[svg.getAttribute('data-chart')] = Array.from(svg.querySelectorAll('.mark')).map(m => {
            const b = m.getBBox();
            const r = m.getBoundingClientRect();
            return {
              value: m.getAttribute('data-value'),
              p90: m.getAttribute('data-p90'),
              config: m.getAttribute('data-config'),
              box: b.width > 0 && b.height > 0 && r.width > 0 && r.height > 0,
              tooltip: m.querySelector('title') !== null && m.querySelector('title').textContent.length > 0
            };
          });
        }
        return charts;
      })()
      """;

  @TempDir Path tmp;

  /**
   * The sample dump's report, made by the command as a user runs it, on the embedded Flink, with a
   * comparison against 15-minute steps: its page in the browser. Its screenshot is the one the
   * README links to.
   */
  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void theSampleDumpsReportShowsEveryRowOfItsTables() throws Exception {
    Path root = Path.of(System.getProperty("stallwatch.root", "..")).toAbsolutePath().normalize();
    Path samples = root.resolve("src/samples");
    Path dir = tmp.resolve("sample-report");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status = Launcher.commandLine(new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[] {
          "report", "--runner=FlinkRunner", "--parallelism=2", "--quiet",
          "--input=" + samples.resolve("journeys.csv"),
          "--blacklist=" + samples.resolve("blacklist.csv"),
          "--channels=" + samples.resolve("channels.csv"),
          "--compare=" + samples.resolve("fifteen-minute-steps.json"),
          "--output=" + dir
        });
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    System.out.print(out.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("compare.csv")), "a comparison was asked for");
    check(dir, "report-screenshot.png");
  }

  /** Hand-made tables with zeros, a step without timings and a channel name to escape. */
  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theReportShowsEveryRowOfItsTablesInABrowser() throws Exception {
    check(reportDirectory(), "report-fixture-screenshot.png");
  }

  private void check(Path report, String screenshotName) throws Exception {
    Path chromium = HeadlessBrowser.executable().orElseThrow(() -> new AssertionError(
        "chromium was not found on PATH (chromium or chromium-browser) nor at /usr/bin/chromium: this test needs a"
            + " real browser; install Debian's chromium package (apt-get install chromium), as .ci/run does"));
    Path page = report.resolve("report.html");
    assertTrue(Files.isRegularFile(page), "no report.html in " + report);
    Map<String, List<List<String>>> expected = expectedMarks(report);

    Map<String, Object> charts;
    List<String> errors;
    List<String> requests;
    byte[] png;
    try (HeadlessBrowser browser = HeadlessBrowser.start(chromium, Files.createDirectories(tmp.resolve("browser")))) {
      browser.open(page.toUri());
      charts = HeadlessBrowser.object(browser.evaluate(MARKS_SCRIPT));
      png = browser.screenshot();
      errors = browser.errors();
      requests = browser.requests();
    }

    Path screenshot = Path.of(System.getProperty("basedir", "."), "target", screenshotName);
    Files.createDirectories(screenshot.getParent());
    Files.write(screenshot, png);

    assertEquals(List.of(), errors, "console errors and exceptions of the page");
    for (String url : requests) {
      assertTrue(url.startsWith("file:") || url.startsWith("data:") || url.startsWith("about:"),
          "the page requested " + url);
    }
    assertEquals(expected.keySet(), charts.keySet(), "the charts on the page");
    for (Map.Entry<String, List<List<String>>> chart : expected.entrySet()) {
      List<List<String>> seen = new ArrayList<>();
      for (Object mark : (List<?>) charts.get(chart.getKey())) {
        Map<String, Object> m = HeadlessBrowser.object(mark);
        assertEquals(Boolean.TRUE, m.get("box"), chart.getKey() + ": a mark drawn without a box: " + m);
        assertEquals(Boolean.TRUE, m.get("tooltip"), chart.getKey() + ": a mark without a tooltip: " + m);
        seen.add(Arrays.asList((String) m.get("value"), (String) m.get("p90"), (String) m.get("config")));
      }
      assertEquals(chart.getValue(), seen, chart.getKey() + ": the marks (value, p90, config) in order");
    }
    assertTrue(png.length > 8 * 1024, "a screenshot of " + png.length + " bytes");
    assertEquals("\u0089PNG\r\n\u001a\n", new String(png, 0, 8, StandardCharsets.ISO_8859_1), "a PNG");
  }

  /**
   * The marks each chart should have, from the report's CSV files: per chart a list of (value,
   * p90, config) with null where a chart's marks have no such attribute.
   */
  private static Map<String, List<List<String>>> expectedMarks(Path report) throws IOException {
    List<Map<String, String>> steps = csv(report.resolve("steps.csv"));
    List<Map<String, String>> alerts = csv(report.resolve("alerts.csv"));
    Map<String, List<List<String>>> charts = new LinkedHashMap<>();
    List<List<String>> funnel = new ArrayList<>();
    List<List<String>> time = new ArrayList<>();
    List<List<String>> channel = new ArrayList<>();
    List<List<String>> hour = new ArrayList<>();
    for (Map<String, String> r : steps) {
      switch (r.get("dimension")) {
        case "all" -> {
          funnel.add(Arrays.asList(r.get("reached"), null, null));
          if (!r.get("visits_timed").isEmpty() && Long.parseLong(r.get("visits_timed")) > 0) {
            time.add(Arrays.asList(r.get("median_seconds"), r.get("p90_seconds"), null));
          }
        }
        case "channel" -> channel.add(Arrays.asList(r.get("stalled"), null, null));
        case "hour" -> hour.add(Arrays.asList(r.get("stalled"), null, null));
        default -> {}
      }
    }
    charts.put("funnel", funnel);
    charts.put("time-at-step", time);
    charts.put("stalls-by-channel", channel);
    charts.put("step-hour", hour);
    List<List<String>> perDay = new ArrayList<>();
    for (Map<String, String> r : alerts) {
      if (r.get("config").equals("current")) {
        perDay.add(Arrays.asList(r.get("alerts"), null, null));
      }
    }
    charts.put("alerts-per-day", perDay);
    Path compareCsv = report.resolve("compare.csv");
    if (Files.exists(compareCsv)) {
      List<List<String>> compare = new ArrayList<>();
      for (Map<String, String> r : csv(compareCsv)) {
        compare.add(Arrays.asList(r.get("current"), null, "current"));
        compare.add(Arrays.asList(r.get("other"), null, "other"));
      }
      charts.put("compare", compare);
    }
    return charts;
  }

  /** The rows of an RFC 4180 file with a header, each by column name. */
  static List<Map<String, String>> csv(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        record.add(cell.toString());
        cell.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        record.add(cell.toString());
        records.add(record);
        record = new ArrayList<>();
        cell.setLength(0);
        any = false;
      } else {
        cell.append(c);
        any = true;
      }
    }
    if (any || cell.length() > 0) {
      record.add(cell.toString());
      records.add(record);
    }
    assertTrue(!quoted, file + ": a quote left open");
    assertTrue(!records.isEmpty(), file + " has no header");
    List<String> header = records.get(0);
    List<Map<String, String>> rows = new ArrayList<>();
    for (List<String> r : records.subList(1, records.size())) {
      assertEquals(header.size(), r.size(), file + ": a row of " + r.size() + " cells for " + header.size() + " columns");
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        row.put(header.get(c), r.get(c));
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * A report directory as {@code stallwatch report} writes it: the tables as CSV and JSON and the
   * page. For now made here from hand-made tables; to be replaced by a run of the command.
   */
  private Path reportDirectory() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("report"));
    List<ReportTable> tables = fixture();
    for (ReportTable t : tables) {
      Files.writeString(dir.resolve(t.name() + ".csv"), t.toCsv(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(t.name() + ".json"), t.toJson(), StandardCharsets.UTF_8);
    }
    Files.writeString(dir.resolve("report.html"), ReportHtml.render("Account opening funnel", tables),
        StandardCharsets.UTF_8);
    return dir;
  }

  /** Tables like a week of a busy funnel's, with zeros, a step without timings and a name to escape. */
  private static List<ReportTable> fixture() {
    Random random = new Random(20240301);
    String[][] stepsOfFunnel = {
      {"ID_UPLOAD", "1", "上传身份证", "steps"},
      {"PROFILE_EDIT", "2", "完善资料", "steps"},
      {"SELECT_MARKET", "3", "选择市场", "steps"},
      {"SET_PASSWORD", "4", "设置密码", "steps"},
      {"THIRD_PARTY_CUSTODY", "5", "三方存管", "steps"},
      {"RISK_ASSESSMENT", "6", "风险测评", "steps"},
      {"QUESTIONNAIRE", "7", "回访问卷", "steps"},
      {"VIDEO", "8", "视频见证", "video"},
      {"UNKNOWN", "", "", ""},
    };
    String[][] channels = {{"3", "官网"}, {"7", "<b>合作&\"伙伴\"</b>"}, {"12", ""}};
    List<String> columns = List.of("dimension", "value", "value_name", "step_class", "step_code", "step_name", "rule",
        "reached", "left_for_later_step", "submitted", "stalled", "visits_timed", "median_seconds", "p90_seconds");
    List<List<String>> steps = new ArrayList<>();
    List<String[]> dimensions = new ArrayList<>();
    dimensions.add(new String[] {"all", "", ""});
    for (String[] c : channels) {
      dimensions.add(new String[] {"channel", c[0], c[1]});
    }
    dimensions.add(new String[] {"branch", "3301", ""});
    for (int h = 0; h < 24; h++) {
      if (h % 5 != 4) {
        dimensions.add(new String[] {"hour", String.format(java.util.Locale.ROOT, "%02d", h), ""});
      }
    }
    for (String[] d : dimensions) {
      long reached = d[0].equals("all") ? 5000 : 200 + random.nextInt(1500);
      for (String[] s : stepsOfFunnel) {
        boolean unknown = s[0].equals("UNKNOWN");
        long here = unknown ? 1 + random.nextInt(30) : reached;
        long stalled = random.nextInt(6) == 0 ? 0 : random.nextInt((int) Math.max(1, here / 8));
        if (unknown) {
          stalled = here;
        }
        long submitted = s[1].equals("8") ? here - stalled : 0;
        long timed = unknown || random.nextInt(9) == 0 ? 0 : here - random.nextInt((int) Math.max(1, here / 10));
        long median = 20 + random.nextInt(s[1].equals("8") ? 2400 : 400);
        long p90 = median + random.nextInt(3000);
        steps.add(List.of(d[0], d[1], d[2], s[0], s[1], s[2], s[3], Long.toString(here),
            Long.toString(here - stalled - submitted), Long.toString(submitted), Long.toString(stalled),
            Long.toString(timed), timed == 0 ? "" : Long.toString(median), timed == 0 ? "" : Long.toString(p90)));
        if (!unknown) {
          reached = here - stalled;
        }
      }
    }
    List<List<String>> alerts = new ArrayList<>();
    List<List<String>> compare = new ArrayList<>();
    List<List<String>> suppressed = new ArrayList<>();
    for (String route : List.of("cc", "mot")) {
      for (int day = 1; day <= 7; day++) {
        String date = String.format(java.util.Locale.ROOT, "202403%02d", day);
        long current = day == 4 && route.equals("mot") ? 0 : random.nextInt(60);
        long other = Math.max(0, current + random.nextInt(21) - 10);
        long both = Math.min(current, other) - (Math.min(current, other) > 3 ? random.nextInt(3) : 0);
        alerts.add(List.of("current", route, date, Long.toString(current)));
        alerts.add(List.of("other", route, date, Long.toString(other)));
        compare.add(List.of(date, route, Long.toString(current), Long.toString(other), Long.toString(current - both),
            Long.toString(other - both), Long.toString(both), both == 0 ? "" : Long.toString(random.nextInt(240) - 120),
            both == 0 ? "" : Long.toString(random.nextInt(240) - 120)));
        suppressed.add(List.of("current", route, List.of("blacklist", "send_window", "once_per_period").get(day % 3),
            date, Long.toString(random.nextInt(9))));
      }
    }
    List<List<String>> summary = List.of(
        List.of("rows_read", "184220"), List.of("applicants", "5212"), List.of("events", "180034"),
        List.of("duplicates", "3120"), List.of("dead_letters", "14"), List.of("stalls", "1877"),
        List.of("submitted", "2890"), List.of("config_current", "stall.json"), List.of("config_other", "stall-tuned.json"));
    return List.of(
        new ReportTable("steps", columns, steps),
        new ReportTable("alerts", List.of("config", "route", "occur_date", "alerts"), alerts),
        new ReportTable("suppressed", List.of("config", "route", "reason", "date", "suppressed"), suppressed),
        new ReportTable("compare", List.of("day", "route", "current", "other", "only_current", "only_other", "both",
            "median_shift_seconds", "mean_shift_seconds"), compare),
        new ReportTable("summary", List.of("metric", "value"), summary));
  }
}
