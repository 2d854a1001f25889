package dev.stallwatch.parse;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.text.CsvLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the small dimension files a backfill takes: the blacklist ({@code id_no} and/or {@code
 * mobile_tel} columns) and the channel dimension ({@code channel_code,channel_name}). Both have a
 * header row; blank lines are skipped. Errors name the file's line.
 */
public final class DimensionCsv {
  private DimensionCsv() {}

  public static Blacklist blacklist(List<String> lines, String source) {
    Map<String, Integer> header = header(lines, source);
    Integer id = header.get("id_no");
    Integer mobile = header.get("mobile_tel");
    if (id == null && mobile == null) {
      throw new IllegalArgumentException(
          source + ": the header needs an id_no or a mobile_tel column");
    }
    List<String> ids = new ArrayList<>();
    List<String> mobiles = new ArrayList<>();
    forEachRecord(
        lines,
        source,
        header.size(),
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
    Map<String, Integer> header = header(lines, source);
    Integer code = header.get("channel_code");
    Integer name = header.get("channel_name");
    if (code == null || name == null) {
      throw new IllegalArgumentException(
          source + ": the header needs channel_code and channel_name columns");
    }
    Map<String, String> names = new HashMap<>();
    forEachRecord(
        lines,
        source,
        header.size(),
        cells -> names.put(cells.get(code).trim(), cells.get(name).trim()));
    return ChannelNames.of(names);
  }

  private static Map<String, Integer> header(List<String> lines, String source) {
    if (lines.isEmpty() || lines.get(0).trim().isEmpty()) {
      throw new IllegalArgumentException(source + ": empty file, a header row is needed");
    }
    String first = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
    Map<String, Integer> header = new HashMap<>();
    List<String> names = CsvLine.split(first);
    for (int i = 0; i < names.size(); i++) {
      header.put(names.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    return header;
  }

  private interface RecordSink {
    void accept(List<String> cells);
  }

  private static void forEachRecord(
      List<String> lines, String source, int width, RecordSink sink) {
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.trim().isEmpty()) {
        continue;
      }
      List<String> cells;
      try {
        cells = CsvLine.split(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage());
      }
      if (cells.size() != width) {
        throw new IllegalArgumentException(
            source + ":" + (i + 1) + ": expected " + width + " columns, found " + cells.size());
      }
      sink.accept(cells);
    }
  }
}
