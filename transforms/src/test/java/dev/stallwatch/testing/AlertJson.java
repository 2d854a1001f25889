package dev.stallwatch.testing;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.text.JsonReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Compares alerts as SPEC §5 records, independent of field order and number formatting. */
public final class AlertJson {
  private AlertJson() {}

  /** One alert line as a sorted map of its fields, every value as text. */
  public static Map<String, String> fields(String json) {
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = (Map<String, Object>) JsonReader.parse(json);
    Map<String, String> out = new TreeMap<>();
    parsed.forEach((k, v) -> out.put(k, v == null ? "null" : v.toString()));
    return out;
  }

  /** The lines as field maps, sorted so two multisets compare with equals. */
  public static List<String> canonical(Collection<String> jsonLines) {
    List<String> out = new ArrayList<>();
    for (String line : jsonLines) {
      out.add(fields(line).toString());
    }
    out.sort(null);
    return out;
  }

  public static List<String> canonicalAlerts(Collection<Alert> alerts) {
    List<String> lines = new ArrayList<>();
    for (Alert a : alerts) {
      lines.add(a.toJson());
    }
    return canonical(lines);
  }
}
