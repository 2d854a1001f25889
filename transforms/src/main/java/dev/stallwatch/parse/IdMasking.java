package dev.stallwatch.parse;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.CsvLine;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps {@code id_no} inside the pipeline (SPEC §5) when a raw row must leave it as a dead letter:
 * the {@code id_no} value is replaced — by its CSV column or its JSON key — and so is anything
 * else shaped like a PRC identity number (18 characters, or the old 15 digits).
 */
public final class IdMasking {
  private IdMasking() {}

  public static final String MASK = "***";

  private static final Pattern JSON_ID =
      Pattern.compile("(\"id_no\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern ID_SHAPED =
      Pattern.compile("(?<![0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])");

  /** The row's text with every {@code id_no} masked. */
  public static String mask(RawRow row) {
    String text = row.isCsv() ? maskCsv(row.text(), row.csvHeader()) : maskJson(row.text());
    return ID_SHAPED.matcher(text).replaceAll(MASK);
  }

  private static String maskJson(String text) {
    Matcher m = JSON_ID.matcher(text);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "\"" + MASK + "\""));
  }

  private static String maskCsv(String text, String header) {
    int column = -1;
    try {
      List<String> names = CsvLine.split(header.startsWith("\uFEFF") ? header.substring(1) : header);
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).trim().toLowerCase(Locale.ROOT).equals("id_no")) {
          column = i;
        }
      }
      if (column < 0) {
        return text;
      }
      List<String> cells = CsvLine.split(text);
      if (column >= cells.size() || cells.get(column).isEmpty()) {
        return text;
      }
      StringBuilder sb = new StringBuilder(text.length());
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        String cell = i == column ? MASK : cells.get(i);
        if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0) {
          sb.append('"').append(cell.replace("\"", "\"\"")).append('"');
        } else {
          sb.append(cell);
        }
      }
      return sb.toString();
    } catch (IllegalArgumentException e) {
      return text; // not splittable: only the id-shaped pattern applies
    }
  }
}
