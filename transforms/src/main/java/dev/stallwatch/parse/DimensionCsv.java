package dev.stallwatch.parse;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.text.CsvLine;
import dev.stallwatch.text.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the small dimension files a backfill takes: the blacklist ({@code id_no} and/or {@code
 * mobile_tel} columns) and the channel dimension ({@code channel_code,channel_name}). Both have a
 * header row; blank lines are skipped, values are trimmed of white space ({@link Text#strip}), and
 * empty columns after the last named one (as spreadsheets save them) are ignored. Errors name the
 * file's line.
 */
public final class DimensionCsv {
  private DimensionCsv() {}

  public static Blacklist blacklist(List<String> lines, String source) {
    Header header = header(lines, source);
    Integer id = header.columns.get("id_no");
    Integer mobile = header.columns.get("mobile_tel");
    if (id == null && mobile == null) {
      throw new IllegalArgumentException(
          source + ": the header needs an id_no or a mobile_tel column");
    }
    List<String> ids = new ArrayList<>();
    List<String> mobiles = new ArrayList<>();
    forEachRecord(
        lines,
        source,
        header.width,
        cells -> {
          if (id != null) {
            ids.add(cells.get(id));
          }
          if (mobile != null) {
            mobiles.add(cells.get(mobile));
          }
        });
    return Blacklist.of(ids, mobiles);
  }

  public static ChannelNames channels(List<String> lines, String source) {
    Header header = header(lines, source);
    Integer code = header.columns.get("channel_code");
    Integer name = header.columns.get("channel_name");
    if (code == null || name == null) {
      throw new IllegalArgumentException(
          source + ": the header needs channel_code and channel_name columns");
    }
    Map<String, String> names = new HashMap<>();
    forEachRecord(
        lines,
        source,
        header.width,
        cells -> names.put(Text.strip(cells.get(code)), Text.strip(cells.get(name))));
    return ChannelNames.of(names);
  }

  /** A header row: each named column's index by lower-case name, and its width. */
  private record Header(Map<String, Integer> columns, int width) {}

  /**
   * The header row. Empty names at its end are no columns: a spreadsheet saves {@code
   * id_no,mobile_tel,,} for a sheet with two used columns.
   */
  private static Header header(List<String> lines, String source) {
    if (lines.isEmpty() || Text.isBlank(lines.get(0))) {
      throw new IllegalArgumentException(source + ": empty file, a header row is needed");
    }
    String first = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
    List<String> names;
    try {
      names = CsvLine.split(first);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ":1: " + e.getMessage());
    }
    int width = usedWidth(names);
    Map<String, Integer> columns = new HashMap<>();
    for (int i = 0; i < width; i++) {
      String name = Text.strip(names.get(i)).toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && columns.put(name, i) != null) {
        throw new IllegalArgumentException(source + ":1: the header names column " + name + " twice");
      }
    }
    return new Header(columns, width);
  }

  /** How many cells there are up to the last non-blank one. */
  private static int usedWidth(List<String> cells) {
    int width = cells.size();
    while (width > 0 && Text.isBlank(cells.get(width - 1))) {
      width--;
    }
    return width;
  }

  private interface RecordSink {
    void accept(List<String> cells);
  }

  private static void forEachRecord(
      List<String> lines, String source, int width, RecordSink sink) {
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (Text.isBlank(line)) {
        continue;
      }
      List<String> cells;
      try {
        cells = CsvLine.split(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage());
      }
      // Empty cells after the header's last column are the spreadsheet's, not data.
      if (cells.size() < width || usedWidth(cells) > width) {
        throw new IllegalArgumentException(
            source + ":" + (i + 1) + ": expected " + width + " columns, found " + usedWidth(cells));
      }
      sink.accept(cells.subList(0, width));
    }
  }
}
