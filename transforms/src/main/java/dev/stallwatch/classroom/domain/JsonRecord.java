package dev.stallwatch.classroom.domain;

import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonReader;
import dev.stallwatch.text.Text;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One classroom message as CLASSROOM.md's common rules read it: a JSON object whose field names
 * are case-insensitive, whose string values are trimmed, where a number may come as text and text
 * as a number, and where a nested object may also arrive as a string holding JSON (the source's
 * {@code JSON_VALUE} of {@code $.data} parsed again). Unknown fields are ignored. Problems are
 * {@link IllegalArgumentException}s whose message is the dead letter's reason.
 */
public final class JsonRecord {
  private final Map<String, Object> fields;
  private final String path;

  private JsonRecord(Map<String, Object> fields, String path) {
    this.fields = fields;
    this.path = path;
  }

  /** The record in {@code text}; fails when it is not a JSON object. */
  public static JsonRecord parse(String text) {
    Object value;
    try {
      value = JsonReader.parse(text);
    } catch (JsonReader.JsonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("not a JSON object: " + kind(value));
    }
    return of(value, "");
  }

  @SuppressWarnings("unchecked")
  private static JsonRecord of(Object map, String path) {
    Map<String, Object> lower = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
      // the first spelling of a name wins, as the first field of a duplicated name does
      lower.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    return new JsonRecord(lower, path);
  }

  /** Whether the field is there and not null. */
  public boolean has(String name) {
    return fields.get(key(name)) != null;
  }

  /**
   * The nested object {@code name}, given as an object or as a string holding one; null when the
   * field is missing, null or blank.
   */
  public JsonRecord object(String name) {
    Object value = fields.get(key(name));
    if (value == null) {
      return null;
    }
    if (value instanceof Map) {
      return of(value, where(name) + ".");
    }
    if (value instanceof String s) {
      if (Text.isBlank(s)) {
        return null;
      }
      Object inner;
      try {
        inner = JsonReader.parse(Text.strip(s));
      } catch (JsonReader.JsonException e) {
        throw new IllegalArgumentException(where(name) + ": a string that is not JSON: " + e.getMessage());
      }
      if (inner instanceof Map) {
        return of(inner, where(name) + ".");
      }
      throw new IllegalArgumentException(where(name) + ": not an object but " + kind(inner));
    }
    throw new IllegalArgumentException(where(name) + ": not an object but " + kind(value));
  }

  /** The field as trimmed text (a number as written); null when missing or null. */
  public String text(String name) {
    Object value = fields.get(key(name));
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return Text.strip(s);
    }
    if (value instanceof BigDecimal d) {
      return d.stripTrailingZeros().scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    throw new IllegalArgumentException(where(name) + ": not a text but " + kind(value));
  }

  /** The field as a whole number (given as a number or as text); null when missing, null or blank. */
  public Long whole(String name) {
    Object value = fields.get(key(name));
    if (value == null || (value instanceof String s && Text.isBlank(s))) {
      return null;
    }
    try {
      BigDecimal d = value instanceof BigDecimal n ? n : new BigDecimal(text(name));
      return d.longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(where(name) + ": not a whole number: " + shown(value));
    }
  }

  /** The field as a number (given as a number or as text); null when missing, null or blank. */
  public BigDecimal number(String name) {
    Object value = fields.get(key(name));
    if (value == null || (value instanceof String s && Text.isBlank(s))) {
      return null;
    }
    try {
      return value instanceof BigDecimal n ? n : new BigDecimal(text(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where(name) + ": not a number: " + shown(value));
    }
  }

  /**
   * The field as an event time: epoch milliseconds (a number, or digits as text) or one of SPEC.md's
   * time formats in {@code zone} ({@code yyyyMMddHHmmss} among them: 14 digits are that format).
   * Fails when it is missing or unusable.
   */
  public long time(String name, ZoneId zone) {
    Object value = fields.get(key(name));
    if (value == null || (value instanceof String s && Text.isBlank(s))) {
      throw new IllegalArgumentException(where(name) + ": missing");
    }
    String text = text(name);
    // 14 digits are yyyyMMddHHmmss; other digits epoch milliseconds (13 of them until 2286)
    if (text.length() != 14 && !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long millis;
      try {
        millis = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(where(name) + ": not a time: " + shown(value));
      }
      if (millis < 1) {
        throw new IllegalArgumentException(where(name) + ": not a time: " + shown(value));
      }
      return millis;
    }
    try {
      return EventTimes.parse(text, zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where(name) + ": " + e.getMessage());
    }
  }

  /** The field's name with the path of the objects it is in, as reasons name it ({@code data.msg.msgtype}). */
  public String where(String name) {
    return path + name;
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * A value as a reason quotes it: in single quotes, so that {@code BadRecord} masks an
   * identity-like run of digits in it as it does in the raw text; cut after 40 characters.
   */
  private static String shown(Object value) {
    String s = String.valueOf(value);
    return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof List) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof BigDecimal) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return "an object";
  }
}
