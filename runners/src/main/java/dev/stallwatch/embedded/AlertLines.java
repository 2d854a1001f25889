package dev.stallwatch.embedded;

import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonReader;
import java.time.ZoneId;
import java.util.Map;

/** An alert's JSON as the embedded default prints it: one line, the mobile masked. */
final class AlertLines {
  private AlertLines() {}

  /** A mobile as people may see it in a log: the first three and last four digits. */
  static String maskMobile(String mobile) {
    return mobile.length() >= 8 ? mobile.substring(0, 3) + "****" + mobile.substring(mobile.length() - 4) : "****";
  }

  /** Route, mobile, occur time, rule, step, request. */
  static String brief(String alertJson) {
    Map<String, String> f = JsonReader.flatFields(alertJson);
    return String.format(
        "%s %s %s %s %s step %s request %s",
        f.get("route"),
        maskMobile(f.getOrDefault("mobile", "")),
        f.get("occur_date"),
        f.get("occur_time"),
        f.get("rule"),
        f.get("step_code"),
        f.get("request_no"));
  }

  /** The line {@code --verbose} prints for an alert that arrived {@code latencyMillis} after its deadline. */
  static String describe(String alertJson, long latencyMillis) {
    Map<String, String> f = JsonReader.flatFields(alertJson);
    return String.format(
        "alert %-4s %s  %s %s  %-6s step %-5s %s  (+%.2f s)",
        f.get("route"),
        maskMobile(f.getOrDefault("mobile", "")),
        f.get("occur_date"),
        f.get("occur_time"),
        f.get("rule"),
        f.get("step_code"),
        f.get("step_name"),
        latencyMillis / 1000.0);
  }

  /** The alert's occur time, epoch milliseconds; 0 when it has none. */
  static long occurMillis(String alertJson, ZoneId zone) {
    Map<String, String> f = JsonReader.flatFields(alertJson);
    String d = f.getOrDefault("occur_date", "");
    if (d.length() != 8) {
      return 0;
    }
    return EventTimes.parse(
        d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6) + " " + f.get("occur_time"), zone);
  }

  /** The alert's occur date, yyyyMMdd. */
  static String occurDate(String alertJson) {
    return JsonReader.flatFields(alertJson).get("occur_date");
  }
}
