package dev.stallwatch.bench;

import dev.stallwatch.text.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The alerts a contender wrote, as multisets to compare contenders by. */
final class AlertSets {
  /** Every field of SPEC.md's alert record. */
  static final List<String> FIELDS =
      List.of(
          "route", "event_id", "event_name", "mobile", "user_id", "client_name", "request_no",
          "channel_code", "channel_name", "branch_no", "business_flag_last", "step_code",
          "step_name", "rule", "gap_minutes", "last_activity", "occur_date", "occur_time");

  /** What decides whom to call and when: the fields the original design can be held to. */
  static final List<String> SLOT = List.of("route", "mobile", "occur_date", "occur_time");

  private AlertSets() {}

  /** Alerts as multisets: of whole records, and of (route, mobile, occur date, occur time). */
  static final class Alerts {
    final Map<String, Integer> records = new HashMap<>();
    final Map<String, Integer> slots = new HashMap<>();
    long count;

    void add(Map<?, ?> alert) {
      records.merge(key(alert, FIELDS), 1, Integer::sum);
      slots.merge(key(alert, SLOT), 1, Integer::sum);
      count++;
    }
  }

  /** Reads every {@code alerts*} file under {@code dir}, one JSON alert a line. */
  static Alerts read(Path dir) throws IOException {
    Alerts alerts = new Alerts();
    if (!Files.isDirectory(dir)) {
      return alerts;
    }
    List<Path> files;
    try (Stream<Path> paths = Files.walk(dir)) {
      files =
          paths
              .filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().startsWith("alerts"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
        lines.filter(l -> !l.isBlank()).forEach(l -> alerts.add((Map<?, ?>) JsonReader.parse(l)));
      }
    }
    return alerts;
  }

  private static String key(Map<?, ?> alert, List<String> fields) {
    StringBuilder sb = new StringBuilder();
    for (String f : fields) {
      Object v = alert.get(f);
      if (v instanceof Number n) {
        v = n.longValue();
      }
      sb.append(v == null ? "<missing>" : v).append('\u0001');
    }
    return sb.toString();
  }

  /** How many of {@code a}'s keys are not matched in {@code b} (as multisets). */
  static long missingFrom(Map<String, Integer> a, Map<String, Integer> b) {
    long missing = 0;
    for (Map.Entry<String, Integer> e : a.entrySet()) {
      missing += Math.max(0, e.getValue() - b.getOrDefault(e.getKey(), 0));
    }
    return missing;
  }
}
