package dev.stallwatch.pipeline.config;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.joda.time.Duration;

/**
 * Typed reads of a parsed JSON tree, each error naming the file ({@code source}) and the key:
 * what the config file's sections are read with.
 */
abstract class ConfigReader {
  final String source;

  ConfigReader(String source) {
    this.source = source;
  }

  void allowOnly(Map<String, Object> m, String prefix, String... keys) {
    Set<String> allowed = Set.of(keys);
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw error(prefix + k, "unknown key (known here: " + String.join(", ", keys) + ")");
      }
    }
  }

  Object required(Map<String, Object> m, String k, String key) {
    if (!m.containsKey(k) || m.get(k) == null) {
      throw error(key, "missing");
    }
    return m.get(k);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> object(Object v, String key) {
    if (!(v instanceof Map)) {
      throw error(key, "expected an object");
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  List<Object> list(Object v, String key) {
    if (!(v instanceof List)) {
      throw error(key, "expected a list");
    }
    return (List<Object>) v;
  }

  String text(Object v, String key) {
    if (v instanceof String) {
      return ((String) v).trim();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    throw error(key, "expected text, not " + (v == null ? "null" : v));
  }

  List<String> texts(Object v, String key) {
    List<Object> items = list(v, key);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(text(items.get(i), key + "[" + i + "]"));
    }
    return out;
  }

  LocalTime time(Object v, String key) {
    String t = text(v, key);
    try {
      return LocalTime.parse(t);
    } catch (DateTimeParseException e) {
      throw error(key, "expected a local time such as 09:15, not '" + t + "'");
    }
  }

  /**
   * An ISO-8601 duration such as PT2M, of whole milliseconds from zero to {@code max} (whole days).
   * Any other text, however long a duration it spells, is one error naming the key.
   */
  Duration duration(Object v, String key, Duration max) {
    String t = text(v, key);
    java.time.Duration d;
    try {
      d = java.time.Duration.parse(t);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw error(key, "expected an ISO-8601 duration such as PT2M, not '" + t + "'");
    }
    if (d.isNegative()) {
      throw error(key, "must not be negative");
    }
    // compared before toMillis(), which overflows from about 292 million years on
    if (d.compareTo(java.time.Duration.ofMillis(max.getMillis())) > 0) {
      throw error(key, "must be at most P" + max.getStandardDays() + "D, not '" + t + "'");
    }
    if (d.getNano() % 1_000_000 != 0) {
      throw error(key, "must be whole milliseconds, not '" + t + "'");
    }
    return Duration.millis(d.toMillis());
  }

  ConfigFile.InvalidConfigException error(String key, String problem) {
    return new ConfigFile.InvalidConfigException(source + ": " + key + ": " + problem);
  }
}
