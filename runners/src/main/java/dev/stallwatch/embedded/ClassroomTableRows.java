package dev.stallwatch.embedded;

import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * A classroom table's rows in one comparable text each: the columns of its schema in order, times
 * as epoch milliseconds (a table's local times read in the job's zone), numbers as Java prints
 * them. The embedded default reads the tables with it and writes the model's rows with it, so the
 * two can be compared as sets.
 */
final class ClassroomTableRows {
  private ClassroomTableRows() {}

  /** Every row of {@code table} (columns of {@code schema}). */
  static List<String> read(JdbcSettings jdbc, String table, Schema schema, ZoneId zone) throws SQLException {
    List<String> rows = new ArrayList<>();
    StringBuilder columns = new StringBuilder();
    for (Schema.Field f : schema.getFields()) {
      columns.append(columns.length() == 0 ? "" : ", ").append(f.getName());
    }
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + table)) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < schema.getFieldCount(); i++) {
          Schema.TypeName type = schema.getField(i).getType().getTypeName();
          Object value;
          switch (type) {
            case DATETIME -> {
              LocalDateTime t = rs.getObject(i + 1, LocalDateTime.class);
              value = t == null ? null : t.atZone(zone).toInstant().toEpochMilli();
            }
            case INT64 -> value = rs.getLong(i + 1);
            case DOUBLE -> value = rs.getDouble(i + 1);
            default -> value = rs.getString(i + 1);
          }
          if (rs.wasNull()) {
            value = null;
          }
          row.append(i == 0 ? "" : "|").append(value);
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** {@code row} in the same text. */
  static String of(Row row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.getFieldCount(); i++) {
      Object v = row.getValue(i);
      if (v instanceof ReadableInstant t) {
        v = t.getMillis();
      }
      sb.append(i == 0 ? "" : "|").append(v);
    }
    return sb.toString();
  }
}
