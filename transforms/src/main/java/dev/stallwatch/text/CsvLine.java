package dev.stallwatch.text;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV record (RFC 4180: comma-separated, fields optionally in double quotes). */
public final class CsvLine {
  private CsvLine() {}

  /**
   * The fields of {@code record}, unquoted but not trimmed.
   *
   * @throws IllegalArgumentException when a quoted field is not closed or text follows its quote
   */
  public static List<String> split(String record) {
    List<String> fields = new ArrayList<>(16);
    int n = record.length();
    int i = 0;
    while (true) {
      if (i < n && record.charAt(i) == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("a quoted field is not closed");
          }
          char c = record.charAt(i++);
          if (c == '"') {
            if (i < n && record.charAt(i) == '"') {
              sb.append('"');
              i++;
            } else {
              break;
            }
          } else {
            sb.append(c);
          }
        }
        fields.add(sb.toString());
        if (i == n) {
          return fields;
        }
        if (record.charAt(i) != ',') {
          throw new IllegalArgumentException(
              "text after the closing quote of field " + fields.size());
        }
        i++;
      } else {
        int comma = record.indexOf(',', i);
        if (comma < 0) {
          fields.add(record.substring(i));
          return fields;
        }
        fields.add(record.substring(i, comma));
        i = comma + 1;
      }
    }
  }

  /** True when {@code text} has an odd number of quotes, i.e. a quoted field runs on. */
  public static boolean opensQuote(CharSequence text) {
    boolean open = false;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '"') {
        open = !open;
      }
    }
    return open;
  }
}
