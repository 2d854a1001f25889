package dev.stallwatch.parse;

import dev.stallwatch.domain.RawRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps {@code id_no} inside the pipeline (SPEC §5) when a raw row must leave it as a dead letter:
 * the {@code id_no} value is replaced — by its CSV column or its JSON key — and so is anything
 * else shaped like a PRC identity number (18 characters, or the old 15 digits).
 *
 * <p>Dead letters are the rows that are not well formed, so masking never relies on them being
 * so. After a JSON key {@code "id_no"} (any letter case, escapes decoded) the value is replaced
 * whatever it is: a string even when it is cut off by the end of the text, an object or array up
 * to its closing bracket, anything else up to the next delimiter. In a CSV row the cell in the
 * header's {@code id_no} column is replaced whether or not the row has the header's width; when a
 * quote opened at or before that cell never closes, the rest of the row is replaced. Everything is
 * scanned in one pass without recursion, so a megabyte of text costs a megabyte of work.
 */
public final class IdMasking {
  private IdMasking() {}

  public static final String MASK = "***";

  private static final String ID_KEY = "id_no";

  private static final Pattern ID_SHAPED =
      Pattern.compile("(?<![0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])");

  /** The row's text with every {@code id_no} masked. */
  public static String mask(RawRow row) {
    String text = row.isCsv() ? maskCsv(row.text(), row.csvHeader()) : maskJsonKeys(row.text());
    return ID_SHAPED.matcher(text).replaceAll(MASK);
  }

  /** Replaces the value after every {@code "id_no"} key, well-formed JSON or not. */
  private static String maskJsonKeys(String text) {
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int quote = text.indexOf('"');
    while (quote >= 0) {
      int keyEnd = idKeyEnd(text, quote);
      int value = keyEnd < 0 ? -1 : afterColon(text, keyEnd);
      if (value < 0 || value >= n) {
        quote = text.indexOf('"', quote + 1);
        continue;
      }
      int end = valueEnd(text, value);
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(text, copied, value).append('"').append(MASK).append('"');
      copied = end;
      quote = end < n ? text.indexOf('"', end) : -1;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  /**
   * When the string starting at {@code quote} decodes to {@code id_no} in any letter case, the
   * index after its closing quote; else -1.
   */
  private static int idKeyEnd(String text, int quote) {
    int n = text.length();
    StringBuilder name = new StringBuilder(ID_KEY.length());
    int i = quote + 1;
    while (i < n && name.length() <= ID_KEY.length()) {
      char c = text.charAt(i++);
      if (c == '"') {
        return name.toString().toLowerCase(Locale.ROOT).equals(ID_KEY) ? i : -1;
      }
      if (c != '\\') {
        name.append(c);
        continue;
      }
      if (i >= n) {
        return -1;
      }
      char e = text.charAt(i++);
      if (e == 'u') {
        if (i + 4 > n) {
          return -1;
        }
        int code = 0;
        for (int k = 0; k < 4; k++) {
          int d = Character.digit(text.charAt(i++), 16);
          if (d < 0) {
            return -1;
          }
          code = code * 16 + d;
        }
        name.append((char) code);
      } else {
        name.append(e); // other escapes never decode to a letter of id_no, so the name fails
      }
    }
    return -1;
  }

  /** The index after {@code :} and the whitespace around it, or -1 when no colon follows. */
  private static int afterColon(String text, int from) {
    int i = skipWhitespace(text, from);
    if (i >= text.length() || text.charAt(i) != ':') {
      return -1;
    }
    return skipWhitespace(text, i + 1);
  }

  private static int skipWhitespace(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The end of the value starting at {@code start}: a string, an object or array, or a token. */
  private static int valueEnd(String text, int start) {
    int n = text.length();
    char first = text.charAt(start);
    if (first == '"') {
      return stringEnd(text, start);
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      int i = start;
      while (i < n) {
        char c = text.charAt(i);
        if (c == '"') {
          i = stringEnd(text, i);
          continue;
        }
        if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
          if (depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
      return n;
    }
    int i = start;
    while (i < n) {
      char c = text.charAt(i);
      if (c == ',' || c == '}' || c == ']' || c == '"' || c == '\n' || c == '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  /** The index after the string that opens at {@code quote}, or the text's end when it never closes. */
  private static int stringEnd(String text, int quote) {
    int n = text.length();
    int i = quote + 1;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
    return n;
  }

  private static String maskCsv(String text, String header) {
    int column = idColumn(header.startsWith("\uFEFF") ? header.substring(1) : header);
    if (column < 0) {
      return text;
    }
    List<int[]> cells = cells(text);
    int[] last = cells.get(cells.size() - 1);
    int start;
    int end;
    if (column < cells.size()) {
      start = cells.get(column)[0];
      end = cells.get(column)[1];
    } else if (last[2] == 1) {
      // a quote opened before the id's cell never closes: the rest of the row may hold the id
      start = last[0];
      end = text.length();
    } else {
      return text;
    }
    if (start == end) {
      return text;
    }
    return text.substring(0, start) + MASK + text.substring(end);
  }

  private static int idColumn(String header) {
    List<int[]> names = cells(header);
    int column = -1;
    for (int i = 0; i < names.size(); i++) {
      int[] c = names.get(i);
      String name = header.substring(c[0], c[1]).trim();
      if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
        name = name.substring(1, name.length() - 1).trim();
      }
      if (name.toLowerCase(Locale.ROOT).equals(ID_KEY)) {
        column = i;
      }
    }
    return column;
  }

  /**
   * The cells of a CSV record as {start, end, open} (end exclusive, quotes included; open is 1
   * when the cell's quote never closes, and then the cell runs to the end). Never fails.
   */
  private static List<int[]> cells(String text) {
    List<int[]> cells = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (true) {
      int start = i;
      int open = 0;
      if (i < n && text.charAt(i) == '"') {
        i++;
        open = 1;
        while (i < n) {
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < n && text.charAt(i) == '"') {
              i++;
            } else {
              open = 0;
              break;
            }
          }
        }
      }
      int comma = open == 1 ? -1 : text.indexOf(',', i);
      if (comma < 0) {
        cells.add(new int[] {start, n, open});
        return cells;
      }
      cells.add(new int[] {start, comma, 0});
      i = comma + 1;
    }
  }
}
