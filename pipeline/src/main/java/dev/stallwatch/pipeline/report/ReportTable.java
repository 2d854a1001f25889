package dev.stallwatch.pipeline.report;

import dev.stallwatch.text.JsonWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One table of the funnel report: a name (its files are {@code NAME.csv} and {@code NAME.json}),
 * its columns and its rows, every cell a string as it is written. A column whose every cell is a
 * whole number is written to JSON as a number, any other as a string.
 */
public record ReportTable(String name, List<String> columns, List<List<String>> rows) implements Serializable {
  public ReportTable {
    columns = List.copyOf(columns);
    List<List<String>> copied = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException(name + ": a row of " + row.size() + " cells for " + columns.size() + " columns");
      }
      copied.add(List.copyOf(row));
    }
    rows = List.copyOf(copied);
  }

  /** The index of {@code column}. */
  public int column(String column) {
    int i = columns.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException(name + " has no column " + column);
    }
    return i;
  }

  /** The cells of {@code column}, row by row. */
  public List<String> values(String column) {
    int i = column(column);
    List<String> values = new ArrayList<>(rows.size());
    rows.forEach(r -> values.add(r.get(i)));
    return values;
  }

  /** RFC 4180 CSV with a header row; lines end with LF. */
  public String toCsv() {
    StringBuilder sb = new StringBuilder();
    csvRow(columns, sb);
    rows.forEach(r -> csvRow(r, sb));
    return sb.toString();
  }

  /** A JSON array of objects, one per row, members in column order; one object a line. */
  public String toJson() {
    boolean[] numeric = new boolean[columns.size()];
    for (int c = 0; c < numeric.length; c++) {
      numeric[c] = true;
      for (List<String> r : rows) {
        if (!r.get(c).matches("-?(0|[1-9][0-9]{0,17})")) {
          numeric[c] = false;
          break;
        }
      }
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < rows.size(); i++) {
      JsonWriter w = new JsonWriter(new StringBuilder());
      for (int c = 0; c < numeric.length; c++) {
        if (numeric[c]) {
          w.field(columns.get(c), Long.parseLong(rows.get(i).get(c)));
        } else {
          w.field(columns.get(c), rows.get(i).get(c));
        }
      }
      sb.append(i == 0 ? "\n" : ",\n").append(w.end());
    }
    return sb.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
  }

  private static void csvRow(List<String> cells, StringBuilder sb) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String cell = cells.get(i);
      if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
        sb.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(cell);
      }
    }
    sb.append('\n');
  }
}
