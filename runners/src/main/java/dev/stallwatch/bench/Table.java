package dev.stallwatch.bench;

import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's table: figures per contender, ratios to the floor and the Flink SQL peer. */
final class Table {
  private static final String[] HEADER = {
    "contender", "rows", "seconds", "process_s", "startup_s", "rows_per_s", "rows_per_s_per_core", "cores",
    "peak_heap_mb", "peak_rss_mb", "x_floor", "x_floor_process", "x_floor_no_startup", "x_sql_peer", "alerts",
    "alerts_vs_spec"
  };

  private final List<Bench.Row> rows;
  private final String machine;

  Table(List<Bench.Row> rows, String machine) {
    this.rows = rows;
    this.machine = machine;
  }

  private Bench.Row find(String name) {
    return rows.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
  }

  private static String ratio(Bench.Row row, Bench.Row to) {
    return to == null ? "" : ratio(row.perSecond() / to.perSecond());
  }

  private static String ratio(double r) {
    return Double.isNaN(r) ? "" : String.format(Locale.ROOT, "%.2f", r);
  }

  private static String seconds(double s) {
    return Double.isNaN(s) ? "" : String.format(Locale.ROOT, "%.1f", s);
  }

  private List<String[]> cells() {
    Bench.Row floor = find("model");
    Bench.Row peer = find("sql");
    List<String[]> cells = new ArrayList<>();
    for (Bench.Row r : rows) {
      cells.add(
          new String[] {
            r.name,
            Long.toString(r.rows),
            String.format(Locale.ROOT, "%.1f", r.seconds),
            seconds(r.processSeconds),
            seconds(r.startupSeconds),
            String.format(Locale.ROOT, "%.0f", r.perSecond()),
            String.format(Locale.ROOT, "%.0f", r.perCore()),
            Integer.toString(r.cores),
            Long.toString(r.peakHeapMb),
            Long.toString(r.peakRssMb),
            ratio(r, floor),
            floor == null ? "" : ratio(r.perProcessSecond() / floor.perProcessSecond()),
            floor == null ? "" : ratio(r.perSecondWithoutStartup() / floor.perSecondWithoutStartup()),
            ratio(r, peer),
            Long.toString(r.alerts.count),
            r.agreement
          });
    }
    return cells;
  }

  String text() {
    List<String[]> all = new ArrayList<>();
    all.add(HEADER);
    all.addAll(cells());
    int[] width = new int[HEADER.length];
    for (String[] row : all) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("machine: ").append(machine).append('\n');
    for (String[] row : all) {
      for (int i = 0; i < row.length; i++) {
        String cell = i == 0 || i == row.length - 1 ? pad(row[i], width[i]) : lead(row[i], width[i]);
        sb.append(cell).append(i == row.length - 1 ? "\n" : "  ");
      }
    }
    return sb.toString().replaceAll(" +\n", "\n");
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }

  private static String lead(String s, int w) {
    return " ".repeat(w - s.length()) + s;
  }

  void write(Path csv, Path json) throws IOException {
    StringBuilder sb = new StringBuilder(String.join(",", HEADER)).append('\n');
    for (String[] row : cells()) {
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        sb.append(cell.contains(",") || cell.contains("\"") ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        sb.append(i == row.length - 1 ? '\n' : ',');
      }
    }
    Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);

    StringBuilder js = new StringBuilder("{\"machine\":");
    JsonWriter.quote(machine, js);
    js.append(",\"rows\":[");
    List<String[]> cells = cells();
    for (int r = 0; r < cells.size(); r++) {
      String[] row = cells.get(r);
      js.append(r == 0 ? "{" : ",{");
      for (int i = 0; i < row.length; i++) {
        JsonWriter.quote(HEADER[i], js.append(i == 0 ? "" : ","));
        js.append(':');
        boolean text = i == 0 || i == row.length - 1;
        if (text) {
          JsonWriter.quote(row[i], js);
        } else {
          js.append(row[i].isEmpty() ? "null" : row[i]);
        }
      }
      js.append('}');
    }
    Files.writeString(json, js.append("]}\n").toString(), StandardCharsets.UTF_8);
  }
}
