package dev.stallwatch.parse;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.IdShapes;
import dev.stallwatch.text.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps {@code id_no} inside the pipeline (SPEC §5) when a raw row must leave it as a dead letter.
 * Dead letters are the rows that are not well formed, so masking never relies on them being so;
 * three passes, each a single scan without recursion (a megabyte of text costs a megabyte of work):
 *
 * <ol>
 *   <li>By key, in any row: the value after every key {@code id_no} — in any letter case, in double
 *       or single quotes or none (escapes decoded), followed by {@code :} or {@code =} — is
 *       replaced whatever it is: a quoted string even when the text ends before its closing quote,
 *       an object or array up to its closing bracket, anything else up to the next delimiter.
 *   <li>By column, in a CSV row: when the row has its header's width, the cell in the header's
 *       {@code id_no} column; when it has {@code d} cells more or fewer, every cell up to {@code d}
 *       places either side of that column, since the cells may have moved; when a quote opened at
 *       or before those cells never closes, the rest of the row.
 *   <li>By shape, everywhere ({@link IdShapes}): any run of letters and digits with six digits or
 *       more, so a passport number in a time field or a row too broken for the passes above is
 *       masked too.
 * </ol>
 */
public final class IdMasking {
  private IdMasking() {}

  public static final String MASK = IdShapes.MASK;

  private static final String ID_KEY = "id_no";

  /** The row's text with every {@code id_no} masked. */
  public static String mask(RawRow row) {
    String text = maskKeys(row.text());
    if (row.isCsv()) {
      text = maskCsv(text, row.csvHeader());
    }
    return IdShapes.mask(text);
  }

  /** Replaces the value after every {@code id_no} key, well-formed JSON or not. */
  private static String maskKeys(String text) {
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      int keyEnd = -1;
      if (c == '"') {
        keyEnd = escapedKeyEnd(text, i);
      } else if ((c == 'i' || c == 'I') && text.regionMatches(true, i, ID_KEY, 0, ID_KEY.length())) {
        keyEnd = keyEnd(text, i);
      }
      int value = keyEnd < 0 ? -1 : afterSeparator(text, keyEnd);
      if (value < 0) {
        i++;
        continue;
      }
      int end = value >= n ? n : valueEnd(text, value);
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(text, copied, value).append('"').append(MASK).append('"');
      copied = end;
      i = Math.max(end, i + 1);
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  /**
   * When {@code id_no} at {@code at} is a whole key — bare, or the whole content of a quoted name —
   * the index after it (after its closing quote); else -1.
   */
  private static int keyEnd(String text, int at) {
    int end = at + ID_KEY.length();
    char before = at > 0 ? text.charAt(at - 1) : ' ';
    char after = end < text.length() ? text.charAt(end) : ' ';
    if (before == '"' || before == '\'') {
      return after == before ? end + 1 : -1;
    }
    if (isNameChar(before) || isNameChar(after)) {
      return -1;
    }
    return end;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-' || c == '.';
  }

  /**
   * When the double-quoted string at {@code quote} decodes to {@code id_no} in any letter case, the
   * index after its closing quote; else -1.
   */
  private static int escapedKeyEnd(String text, int quote) {
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

  /** The index after {@code :} or {@code =} and the white space around it, or -1 when none follows. */
  private static int afterSeparator(String text, int from) {
    int i = skipWhiteSpace(text, from);
    if (i >= text.length() || (text.charAt(i) != ':' && text.charAt(i) != '=')) {
      return -1;
    }
    return skipWhiteSpace(text, i + 1);
  }

  private static int skipWhiteSpace(String text, int i) {
    while (i < text.length() && Text.isWhiteSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The end of the value starting at {@code start}: a string, an object or array, or a token. */
  private static int valueEnd(String text, int start) {
    int n = text.length();
    char first = text.charAt(start);
    if (first == '"' || first == '\'') {
      return stringEnd(text, start);
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      int i = start;
      while (i < n) {
        char c = text.charAt(i);
        if (c == '"' || c == '\'') {
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
      if (c == ',' || c == '}' || c == ']' || c == ';' || c == '&' || c == '"' || c == '\''
          || Text.isWhiteSpace(c)) {
        break;
      }
      i++;
    }
    return i;
  }

  /** The index after the string that opens at {@code quote}, or the text's end when it never closes. */
  private static int stringEnd(String text, int quote) {
    int n = text.length();
    char q = text.charAt(quote);
    int i = quote + 1;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == q) {
        return i + 1;
      } else {
        i++;
      }
    }
    return n;
  }

  private static String maskCsv(String text, String header) {
    List<int[]> names = cells(header.startsWith("\uFEFF") ? header.substring(1) : header);
    int column = idColumn(header.startsWith("\uFEFF") ? header.substring(1) : header, names);
    if (column < 0) {
      return text;
    }
    List<int[]> cells = cells(text);
    int moved = Math.abs(cells.size() - names.size());
    int first = Math.max(0, column - moved);
    int last = column + moved;
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (int i = first; i <= last && i < cells.size(); i++) {
      int[] c = cells.get(i);
      int end = c[2] == 1 ? text.length() : c[1];
      if (c[0] < end) {
        out.append(text, copied, c[0]).append(MASK);
        copied = end;
      }
    }
    int[] lastCell = cells.get(cells.size() - 1);
    if (last >= cells.size() && lastCell[2] == 1 && copied < text.length()) {
      // a quote opened before the id's cell never closes: the rest of the row may hold the id
      out.append(text, copied, lastCell[0]).append(MASK);
      copied = text.length();
    }
    return copied == 0 ? text : out.append(text, copied, text.length()).toString();
  }

  private static int idColumn(String header, List<int[]> names) {
    int column = -1;
    for (int i = 0; i < names.size(); i++) {
      int[] c = names.get(i);
      String name = Text.strip(header.substring(c[0], c[1]));
      if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
        name = Text.strip(name.substring(1, name.length() - 1));
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
