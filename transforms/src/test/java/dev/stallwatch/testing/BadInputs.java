package dev.stallwatch.testing;

import dev.stallwatch.generate.JourneyGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Malformed inputs of every kind a change stream or a dump may carry, most of them made from a
 * valid generated row (so they carry its mobile, {@code id_no} and time), deterministic for a seed.
 * Each comes with its kind; {@link #reasons} says which dead-letter reasons a kind may get. The
 * kinds depend on the format: a Kafka message may be a tombstone or blank, a dump line may not
 * (blank lines are skipped, SPEC §1), and a dump line never holds a line break.
 *
 * <p>CSV lines with an odd number of quotes open a field that runs over the next lines; the
 * reader gives up after 50 lines. So only the {@code unterminated_quote} kind has an odd number
 * of quotes, and it is made only when the last such line is more than 55 lines back ({@link
 * #passedValidLine} counts the valid lines in between): then it is a bad row on its own line and
 * swallows no other.
 */
public final class BadInputs {
  /** Where the inputs go. */
  public enum Format {
    KAFKA,
    JSONL,
    CSV
  }

  /**
   * One malformed input: its kind, its bytes (null for a tombstone) and the identity numbers it
   * carries besides its row's own {@code id_no} (a passport or permit number put into it), which
   * must not leave either.
   */
  public static final class Bad {
    public final String kind;
    public final byte[] bytes;
    public final List<String> ids = new ArrayList<>();

    Bad(String kind, byte[] bytes) {
      this.kind = kind;
      this.bytes = bytes;
    }

    Bad(String kind, String text) {
      this(kind, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final List<String> JSON_KINDS =
      List.of(
          "random_bytes", "invalid_utf8", "truncated_json", "json_array", "json_scalar", "nested_object",
          "wrong_type", "megabyte_field", "missing_required", "empty_required", "impossible_date",
          "implausible_year", "duplicate_field", "deep_nesting", "control_character", "trailing_garbage",
          "bad_escape", "not_json_text", "control_only", "loose_json_id", "id_in_time", "unicode_blank_required",
          "control_in_key", "oversized_line");
  private static final List<String> KAFKA_ONLY = List.of("blank_message", "tombstone");
  /** Kafka's message limit is below a row's, so an oversized row is a dump's problem only. */
  private static final List<String> NOT_KAFKA = List.of("oversized_line");
  /** At most this many oversized lines (5 MiB each) per generator. */
  private static final int MAX_OVERSIZED = 2;
  private static final List<String> CSV_KINDS =
      List.of(
          "random_bytes", "invalid_utf8", "wrong_column_count", "truncated_line", "empty_required",
          "impossible_date", "implausible_year", "megabyte_field", "unterminated_quote",
          "text_after_quote", "json_line", "control_only", "foreign_id_wrong_width", "id_in_time",
          "unicode_blank_required", "control_in_key", "oversized_line");

  private static final String[] IMPOSSIBLE =
      {"2024-02-30 10:00:00", "2023-02-29 10:00:00", "2024-13-01 10:00:00", "2024-03-20 25:00:00",
       "2024-03-20 10:60:00", "2024-03-20 10:00:60", "20240230101010", "yesterday", "1710900000",
       "2024/03/20 10:00:00", "2024-03-20", "2024-03-20 10:00:00.1234567890", "2024-03-20 10:00:00Z"};
  private static final String[] IMPLAUSIBLE =
      {"9999-12-31 23:59:59", "0001-01-01 00:00:00", "1970-01-01 08:00:00", "1900-01-01 00:00:00",
       "2100-01-01 00:00:00", "1999-12-31 23:59:59", "99991231235959"};
  private static final byte[][] NOT_UTF8 =
      {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
       {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
       {(byte) 0xE2, (byte) 0x82}};
  private static final List<String> REQUIRED = List.of("mobile_tel", "request_status", "last_update_datetime");
  private static final List<String> LONG_FIELDS = List.of("client_name", "request_no", "id_no", "recommender");

  private final Random random;
  private final Format format;
  private final int maxMegabytes;
  private int megabytes;
  private int oversized;
  private int sinceOddQuotes = 1_000;

  public BadInputs(long seed, Format format, int maxMegabytes) {
    this.random = new Random(seed);
    this.format = format;
    this.maxMegabytes = maxMegabytes;
  }

  /** The kinds this format's inputs come in. */
  public static List<String> kinds(Format format) {
    if (format == Format.CSV) {
      return CSV_KINDS;
    }
    List<String> kinds = new ArrayList<>(JSON_KINDS);
    if (format == Format.KAFKA) {
      kinds.addAll(KAFKA_ONLY);
      kinds.removeAll(NOT_KAFKA);
    }
    return kinds;
  }

  /** A valid line was written between malformed ones (CSV: for the spacing of open quotes). */
  public void passedValidLine() {
    sinceOddQuotes++;
  }

  /** A malformed input of a random kind, made from {@code row}, a valid generated row. */
  public Bad next(Map<String, String> row) {
    List<String> kinds = kinds(format);
    while (true) {
      String kind = kinds.get(random.nextInt(kinds.size()));
      if (kind.equals("megabyte_field") && megabytes >= maxMegabytes) {
        continue;
      }
      if (kind.equals("oversized_line") && oversized >= MAX_OVERSIZED) {
        continue;
      }
      if (kind.equals("unterminated_quote") && sinceOddQuotes <= 55) {
        continue;
      }
      Bad bad = format == Format.CSV ? csv(kind, new LinkedHashMap<>(row)) : json(kind, new LinkedHashMap<>(row));
      sinceOddQuotes = kind.equals("unterminated_quote") ? 0 : sinceOddQuotes + 1;
      return bad;
    }
  }

  /**
   * The reasons a kind's dead letters may start with; an empty list means any (non-empty) reason.
   */
  public static List<String> reasons(String kind) {
    switch (kind) {
      case "random_bytes":
        return List.of();
      case "invalid_utf8":
        return List.of("not UTF-8 text");
      case "truncated_json":
      case "control_character":
      case "bad_escape":
        return List.of("invalid JSON: ", "field ");
      case "json_array":
        return List.of("not a JSON object: the row is an array");
      case "json_scalar":
      case "not_json_text":
        return List.of("not a JSON object: the row is ");
      case "nested_object":
        return List.of("missing required field ", "field ");
      case "wrong_type":
        return List.of("field ");
      case "megabyte_field":
        return List.of("field ");
      case "missing_required":
        return List.of("missing required field ");
      case "empty_required":
        return List.of("empty required field ");
      case "impossible_date":
        return List.of("last_update_datetime: ");
      case "implausible_year":
        return List.of("last_update_datetime: '");
      case "duplicate_field":
        return List.of("field ");
      case "deep_nesting":
        return List.of("invalid JSON: values nested deeper than 64 levels");
      case "trailing_garbage":
        return List.of("invalid JSON: unexpected text after the JSON value");
      case "blank_message":
        return List.of("blank message");
      case "tombstone":
        return List.of("empty message (a tombstone)");
      case "wrong_column_count":
      case "truncated_line":
        return List.of("expected 13 columns as in the header");
      case "unterminated_quote":
        return List.of("invalid CSV: a quoted field is not closed");
      case "text_after_quote":
      case "json_line":
        return List.of("invalid CSV: ");
      case "control_only":
        return List.of("not a JSON object: ", "invalid JSON: ", "expected 13 columns as in the header, found 1");
      case "loose_json_id":
        return List.of("invalid JSON: ");
      case "id_in_time":
        return List.of("last_update_datetime: time '***' is not ");
      case "unicode_blank_required":
        return List.of("empty required field ");
      case "control_in_key":
        return List.of("field mobile_tel holds the control character U+00", "field user_id holds the control character U+00");
      case "oversized_line":
        return List.of("the row has 5242", "the row has 5243");
      case "foreign_id_wrong_width":
        return List.of("expected 13 columns as in the header");
      case "archive_bomb":
        return List.of("the row has 1073741");
      case "late":
        return List.of("late: ");
      case "future":
        return List.of("future: ");
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  // ---------------------------------------------------------------- JSON: Kafka messages and JSONL lines

  private Bad json(String kind, Map<String, String> row) {
    switch (kind) {
      case "random_bytes":
        return new Bad(kind, randomBytes(format == Format.KAFKA ? "" : "\n\r"));
      case "invalid_utf8":
        {
          String marked = object(fields(row, "client_name", "\"@@\""));
          int at = marked.indexOf("\"@@\"");
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.writeBytes(marked.substring(0, at + 1).getBytes(StandardCharsets.UTF_8));
          b.writeBytes(row.get("client_name").getBytes(StandardCharsets.UTF_8));
          b.writeBytes(NOT_UTF8[random.nextInt(NOT_UTF8.length)]);
          b.writeBytes(marked.substring(at + 3).getBytes(StandardCharsets.UTF_8));
          return new Bad(kind, b.toByteArray());
        }
      case "truncated_json":
        {
          String text = object(fields(row, null, null));
          return new Bad(kind, text.substring(0, 1 + random.nextInt(text.length() - 1)));
        }
      case "json_array":
        {
          String text = object(fields(row, null, null));
          String[] choices = {"[" + text + "]", "[]", "[1, 2, 3]", "[" + text + "," + text + "]"};
          return new Bad(kind, choices[random.nextInt(choices.length)]);
        }
      case "json_scalar":
        {
          String[] choices = {quote(object(fields(row, null, null))), "42", "-1.5e3", "true", "false", "null", "\"hello\""};
          return new Bad(kind, choices[random.nextInt(choices.length)]);
        }
      case "nested_object":
        {
          if (random.nextBoolean()) {
            return new Bad(kind, "{\"data\": " + object(fields(row, null, null)) + "}");
          }
          String field = pick(List.of("mobile_tel", "id_no", "client_name", "request_status"));
          return new Bad(kind, object(fields(row, field, "{\"value\": " + quote(row.get(field)) + "}")));
        }
      case "wrong_type":
        {
          String field = pick(JourneyGenerator.COLUMNS);
          String value = pick(List.of("true", "false", "[1, 2]", "[" + quote(row.get(field)) + "]", "{}"));
          return new Bad(kind, object(fields(row, field, value)));
        }
      case "megabyte_field":
        {
          megabytes++;
          String field = pick(LONG_FIELDS);
          String huge = (field.equals("id_no") ? "4" : "x").repeat(1 << 20);
          return new Bad(kind, object(fields(row, field, quote(huge))));
        }
      case "missing_required":
        row.remove(pick(REQUIRED));
        return new Bad(kind, object(fields(row, null, null)));
      case "empty_required":
        return new Bad(kind, object(fields(row, pick(REQUIRED), pick(List.of("\"\"", "\"   \"", "null")))));
      case "impossible_date":
        return new Bad(kind, object(fields(row, "last_update_datetime", quote(pick(List.of(IMPOSSIBLE))))));
      case "implausible_year":
        return new Bad(kind, object(fields(row, "last_update_datetime", quote(pick(List.of(IMPLAUSIBLE))))));
      case "duplicate_field":
        {
          String field = pick(JourneyGenerator.COLUMNS);
          List<String[]> f = fields(row, null, null);
          f.add(random.nextInt(f.size() + 1), new String[] {field.toUpperCase(Locale.ROOT), quote(row.get(field))});
          return new Bad(kind, object(f));
        }
      case "deep_nesting":
        {
          int depth = 65 + random.nextInt(format == Format.KAFKA ? 20_000 : 2_000);
          List<String[]> f = fields(row, null, null);
          f.add(0, new String[] {"deep", "[".repeat(depth) + "]".repeat(depth)});
          return new Bad(kind, object(f));
        }
      case "control_character":
        {
          char[] controls = format == Format.KAFKA ? new char[] {'\u0001', '\t', '\n', '\u001f', '\r'} : new char[] {'\u0001', '\t', '\u001f', '\u0000'};
          char c = controls[random.nextInt(controls.length)];
          return new Bad(kind, object(fields(row, "client_name", "\"" + row.get("client_name") + c + "\"")));
        }
      case "trailing_garbage":
        return new Bad(kind, object(fields(row, null, null)) + pick(List.of("x", "}", "{}", ",", " 1", "]")));
      case "bad_escape":
        return new Bad(kind, object(fields(row, "client_name", "\"" + row.get("client_name") + pick(List.of("\\x", "\\u12G4", "\\'", "\\U0041")) + "\"")));
      case "not_json_text":
        {
          String[] choices = {JourneyGenerator.toCsv(row), "<row><mobile_tel>" + row.get("mobile_tel") + "</mobile_tel></row>", "mobile_tel=" + row.get("mobile_tel")};
          return new Bad(kind, choices[random.nextInt(choices.length)]);
        }
      case "control_only":
        return new Bad(kind, controlOnly());
      case "loose_json_id":
        {
          String id = foreignId();
          row.put("id_no", id);
          StringBuilder sb = new StringBuilder("{");
          boolean single = random.nextBoolean();
          for (Map.Entry<String, String> e : row.entrySet()) {
            if (sb.length() > 1) {
              sb.append(", ");
            }
            String name = random.nextBoolean() ? e.getKey().toUpperCase(Locale.ROOT) : e.getKey();
            sb.append(single ? "'" + name + "'" : name).append(": ").append(single ? "'" + e.getValue() + "'" : e.getValue());
          }
          return carrying(new Bad(kind, sb.append('}').toString()), id);
        }
      case "id_in_time":
        {
          String id = random.nextBoolean() ? foreignId() : row.get("id_no");
          return carrying(new Bad(kind, object(fields(row, "last_update_datetime", quote(id)))), id);
        }
      case "unicode_blank_required":
        return new Bad(kind, object(fields(row, pick(REQUIRED), quote(unicodeBlank()))));
      case "control_in_key":
        {
          String field = pick(List.of("mobile_tel", "user_id"));
          String control = String.format("\\u%04x", (int) pick(List.of('\u0001', '\u0000', '\u001a', '\u007f')));
          return new Bad(kind, object(fields(row, field, "\"" + row.get(field) + control + "x\"")));
        }
      case "oversized_line":
        {
          oversized++;
          String id = foreignId();
          return carrying(new Bad(kind, "{\"id_no\":\"" + id + "\",\"remark\":\"" + "y".repeat(5 << 20) + "\"," + object(fields(row, null, null)).substring(1)), id);
        }
      case "blank_message":
        return new Bad(kind, pick(List.of("", " ", "\n", " \t\r\n ", "\u3000", "\u00a0 \u2007")));
      case "tombstone":
        return new Bad(kind, (byte[]) null);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  /** The row's fields as name (random letter case) and JSON value; {@code field} gets {@code value}. */
  private List<String[]> fields(Map<String, String> row, String field, String value) {
    List<String[]> out = new ArrayList<>();
    for (Map.Entry<String, String> e : row.entrySet()) {
      String name = random.nextBoolean() ? e.getKey().toUpperCase(Locale.ROOT) : e.getKey();
      out.add(new String[] {name, e.getKey().equals(field) ? value : quote(e.getValue())});
    }
    return out;
  }

  private static String object(List<String[]> fields) {
    StringBuilder sb = new StringBuilder("{");
    for (String[] f : fields) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(quote(f[0])).append(':').append(f[1]);
    }
    return sb.append('}').toString();
  }

  /** A JSON string of {@code s}. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  // ---------------------------------------------------------------- CSV lines

  private Bad csv(String kind, Map<String, String> row) {
    switch (kind) {
      case "random_bytes":
        return new Bad(kind, randomBytes("\n\r\""));
      case "invalid_utf8":
        {
          row.put("client_name", "@@");
          String marked = JourneyGenerator.toCsv(row);
          int at = marked.indexOf("@@");
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.writeBytes(marked.substring(0, at).getBytes(StandardCharsets.UTF_8));
          b.writeBytes(NOT_UTF8[random.nextInt(NOT_UTF8.length)]);
          b.writeBytes(marked.substring(at + 2).getBytes(StandardCharsets.UTF_8));
          return new Bad(kind, b.toByteArray());
        }
      case "wrong_column_count":
        if (random.nextBoolean()) {
          row.remove(pick(JourneyGenerator.COLUMNS));
          return new Bad(kind, JourneyGenerator.toCsv(row));
        }
        return new Bad(kind, JourneyGenerator.toCsv(row) + pick(List.of(",", ",extra", ",1,2")));
      case "truncated_line":
        {
          // cut before the last comma: a cut inside the last field (the optional recommender)
          // would leave 13 columns and a valid row
          String text = JourneyGenerator.toCsv(row);
          return new Bad(kind, text.substring(0, 1 + random.nextInt(text.lastIndexOf(','))));
        }
      case "empty_required":
        row.put(pick(REQUIRED), pick(List.of("", "  ")));
        return new Bad(kind, JourneyGenerator.toCsv(row));
      case "impossible_date":
        row.put("last_update_datetime", pick(List.of(IMPOSSIBLE)));
        return new Bad(kind, JourneyGenerator.toCsv(row));
      case "implausible_year":
        row.put("last_update_datetime", pick(List.of(IMPLAUSIBLE)));
        return new Bad(kind, JourneyGenerator.toCsv(row));
      case "megabyte_field":
        {
          megabytes++;
          String field = pick(LONG_FIELDS);
          row.put(field, (field.equals("id_no") ? "4" : "x").repeat(1 << 20));
          return new Bad(kind, JourneyGenerator.toCsv(row));
        }
      case "unterminated_quote":
        row.put(pick(List.of("client_name", "recommender", "request_no")), "\u0001@@");
        return new Bad(kind, JourneyGenerator.toCsv(row).replace("\u0001@@", "\"never closed"));
      case "text_after_quote":
        row.put("client_name", "\u0001@@");
        return new Bad(kind, JourneyGenerator.toCsv(row).replace("\u0001@@", "\"" + "名" + "\"x"));
      case "json_line":
        return new Bad(kind, object(fields(row, null, null)));
      case "control_only":
        return new Bad(kind, controlOnly());
      case "foreign_id_wrong_width":
        {
          String id = foreignId();
          row.put("id_no", id);
          // a column before id_no is lost, or one is added before it: the id moves to another cell
          if (random.nextBoolean()) {
            row.remove(pick(List.of("request_no", "user_id", "client_name", "mobile_tel")));
          } else {
            row.put("client_name", row.get("client_name") + "\u0002");
            return carrying(new Bad(kind, JourneyGenerator.toCsv(row).replace("\u0002", ",extra")), id);
          }
          return carrying(new Bad(kind, JourneyGenerator.toCsv(row)), id);
        }
      case "id_in_time":
        {
          String id = random.nextBoolean() ? foreignId() : row.get("id_no");
          row.put("last_update_datetime", id);
          return carrying(new Bad(kind, JourneyGenerator.toCsv(row)), id);
        }
      case "unicode_blank_required":
        row.put(pick(REQUIRED), unicodeBlank());
        return new Bad(kind, JourneyGenerator.toCsv(row));
      case "control_in_key":
        {
          String field = pick(List.of("mobile_tel", "user_id"));
          row.put(field, row.get(field) + pick(List.of("\u0001", "\u0000", "\u001a", "\u007f")) + "x");
          return new Bad(kind, JourneyGenerator.toCsv(row));
        }
      case "oversized_line":
        {
          oversized++;
          String id = foreignId();
          row.put("id_no", id);
          row.put("recommender", "y".repeat(5 << 20));
          return carrying(new Bad(kind, JourneyGenerator.toCsv(row)), id);
        }
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A line of control characters only, which is no blank line: NUL, SUB, DEL, with a space or not. */
  private String controlOnly() {
    return pick(List.of("\u0000", "\u001a", " \u0000", "\u0000\u0000\u001a", "\u007f", "\u0001 \u0002"));
  }

  /** White space that String.trim() keeps: the ideographic space, no-break spaces. */
  private String unicodeBlank() {
    return pick(List.of("\u3000", "\u00a0", " \u3000 ", "\u2007\u202f"));
  }

  /** A passport or Hong Kong/Macau permit number: a letter and eight digits, not PRC-shaped. */
  private String foreignId() {
    return pick(List.of("E", "G", "H", "M", "K")) + String.format("%08d", random.nextInt(100_000_000));
  }

  private static Bad carrying(Bad bad, String id) {
    bad.ids.add(id);
    return bad;
  }

  /** 1 to 300 random bytes, none of {@code excluded}, starting with a printable character. */
  private byte[] randomBytes(String excluded) {
    int n = 1 + random.nextInt(300);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      byte x;
      do {
        x = (byte) random.nextInt(256);
      } while (excluded.indexOf((char) (x & 0xFF)) >= 0);
      b[i] = x;
    }
    char first;
    do {
      first = (char) ('!' + random.nextInt('~' - '!' + 1));
    } while (excluded.indexOf(first) >= 0);
    b[0] = (byte) first;
    return b;
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
