package dev.stallwatch.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.pipeline.cli.StallWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --compare}'s numbers are those of two separate backfills: the sample dump is
 * reported under the default rules compared with 15-minute steps, then backfilled under each, and
 * this test matches the two backfills' alerts itself (same route, mobile, user, request, step code,
 * step and last activity: the same alert; the day is the last activity's) and counts what the
 * report's {@code compare} and {@code alerts} tables must say.
 */
class ReportWhatIfTest {
  private static final Path ROOT = Path.of(System.getProperty("stallwatch.root", "..")).toAbsolutePath().normalize();
  private static final Path SAMPLES = ROOT.resolve("src/samples");
  private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?[0-9]+))");
  private static final DateTimeFormatter OCCUR = DateTimeFormatter.ofPattern("yyyyMMddHH:mm:ss");

  @TempDir Path tmp;

  @Test
  void theComparisonEqualsTwoBackfills() throws IOException {
    Path config = SAMPLES.resolve("fifteen-minute-steps.json");
    List<String> dump = List.of(
        "--input=" + SAMPLES.resolve("journeys.csv"),
        "--blacklist=" + SAMPLES.resolve("blacklist.csv"),
        "--channels=" + SAMPLES.resolve("channels.csv"),
        "--quiet",
        // the launcher's defaults for a backfill on the direct runner (RunnerDefaults): no per-element copies
        "--enforceImmutability=false",
        "--enforceEncodability=false");
    Path report = tmp.resolve("report");
    run("report", dump, "--compare=" + config, "--output=" + report);
    run("backfill", dump, "--output=" + tmp.resolve("current"));
    run("backfill", dump, "--config=" + config, "--output=" + tmp.resolve("other"));
    List<Map<String, String>> current = alerts(tmp.resolve("current"));
    List<Map<String, String>> other = alerts(tmp.resolve("other"));
    assertTrue(current.size() > 100 && other.size() > 100 && other.size() < current.size(),
        "the sample stalls often, and less often with 15 minutes: " + current.size() + " / " + other.size());

    // alerts per config, route and occur date
    Map<String, Long> perDay = new TreeMap<>();
    current.forEach(a -> perDay.merge("current," + a.get("route") + "," + a.get("occur_date"), 1L, Long::sum));
    other.forEach(a -> perDay.merge("other," + a.get("route") + "," + a.get("occur_date"), 1L, Long::sum));
    Map<String, Long> reported = new TreeMap<>();
    for (List<String> row : csv(report.resolve("alerts.csv"))) {
      reported.put(row.get(0) + "," + row.get(1) + "," + row.get(2), Long.parseLong(row.get(3)));
    }
    assertEquals(perDay, reported, "alerts.csv: each config's alerts per route and occur date");

    // the comparison per stall day and route
    Map<String, List<Long>> expected = new TreeMap<>();
    Map<String, List<Map<String, String>>> a = byIdentity(current);
    Map<String, List<Map<String, String>>> b = byIdentity(other);
    Map<String, List<Long>> shifts = new HashMap<>();
    java.util.Set<String> ids = new java.util.TreeSet<>(a.keySet());
    ids.addAll(b.keySet());
    for (String id : ids) {
      List<Map<String, String>> x = a.getOrDefault(id, List.of());
      List<Map<String, String>> y = b.getOrDefault(id, List.of());
      Map<String, String> any = x.isEmpty() ? y.get(0) : x.get(0);
      String key = any.get("last_activity").substring(0, 10).replace("-", "") + "," + any.get("route");
      List<Long> c = expected.computeIfAbsent(key, k -> new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L)));
      int both = Math.min(x.size(), y.size());
      c.set(0, c.get(0) + x.size());
      c.set(1, c.get(1) + y.size());
      c.set(2, c.get(2) + x.size() - both);
      c.set(3, c.get(3) + y.size() - both);
      c.set(4, c.get(4) + both);
      for (int i = 0; i < both; i++) {
        long shift = java.time.Duration.between(occur(x.get(i)), occur(y.get(i))).getSeconds();
        shifts.computeIfAbsent(key, k -> new ArrayList<>()).add(shift);
      }
    }
    Map<String, List<Long>> expectedRows = new TreeMap<>();
    expected.forEach((k, c) -> {
      List<Long> s = new ArrayList<>(shifts.getOrDefault(k, List.of()));
      s.sort(null);
      List<Long> row = new ArrayList<>(c);
      row.add(s.isEmpty() ? null : s.get((int) Math.ceil(s.size() * 0.5) - 1));
      row.add(s.isEmpty() ? null : Math.round(s.stream().mapToLong(Long::longValue).sum() / (double) s.size()));
      expectedRows.put(k, row);
    });
    Map<String, List<Long>> reportedRows = new TreeMap<>();
    for (List<String> row : csv(report.resolve("compare.csv"))) {
      List<Long> values = new ArrayList<>();
      for (String cell : row.subList(2, row.size())) {
        values.add(cell.isEmpty() ? null : Long.parseLong(cell));
      }
      reportedRows.put(row.get(0) + "," + row.get(1), values);
    }
    assertEquals(expectedRows, reportedRows, "compare.csv: per stall day and route");
    long onlyCurrent = expected.values().stream().mapToLong(c -> c.get(2)).sum();
    assertTrue(onlyCurrent > 0, "some 8-minute stalls are none at 15 minutes");
    assertTrue(expectedRows.values().stream().allMatch(r -> r.get(6) == null || (r.get(6) >= 0 && r.get(6) <= 420)),
        "an alert both raise is due as late or up to 7 minutes later with 15-minute steps");
    assertTrue(expectedRows.values().stream().anyMatch(r -> r.get(6) != null && r.get(6) > 0), "and some are later");
  }

  private void run(String command, List<String> common, String... more) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(common);
    args.addAll(List.of(more));
    int status = new StallWatch(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args.toArray(String[]::new));
    assertEquals(0, status, command + ": " + err.toString(StandardCharsets.UTF_8));
  }

  private static LocalDateTime occur(Map<String, String> alert) {
    return LocalDateTime.parse(alert.get("occur_date") + alert.get("occur_time"), OCCUR);
  }

  private static Map<String, List<Map<String, String>>> byIdentity(List<Map<String, String>> alerts) {
    Map<String, List<Map<String, String>>> m = new HashMap<>();
    for (Map<String, String> x : alerts) {
      String id = String.join("|", x.get("route"), x.get("mobile"), x.get("user_id"), x.get("request_no"),
          x.get("business_flag_last"), x.get("step_code"), x.get("last_activity"));
      m.computeIfAbsent(id, k -> new ArrayList<>()).add(x);
    }
    m.values().forEach(l -> l.sort((p, q) -> occur(p).compareTo(occur(q))));
    return m;
  }

  private static List<Map<String, String>> alerts(Path dir) throws IOException {
    List<Map<String, String>> alerts = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "alerts-*.jsonl")) {
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          Map<String, String> fields = new HashMap<>();
          Matcher m = FIELD.matcher(line);
          while (m.find()) {
            fields.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
          }
          alerts.add(fields);
        }
      }
    }
    return alerts;
  }

  /** The rows of a CSV file without quoted cells, after its header. */
  private static List<List<String>> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(List.of(line.split(",", -1)));
    }
    return rows;
  }
}
