package dev.stallwatch.pipeline.jdbc;

import java.sql.SQLException;

/**
 * A dimension table could not be read. The message names the table and the JDBC URL (as {@link
 * JdbcSettings#shownUrl} shows it), so the one line a user sees says where to look.
 */
public final class DimensionLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String table;

  DimensionLoadException(String table, String url, SQLException cause) {
    super(
        "cannot load dimension table "
            + table
            + " from "
            + url
            + ": "
            + cause.getMessage()
            + (cause.getSQLState() == null ? "" : " (SQLState " + cause.getSQLState() + ")"),
        cause);
    this.table = table;
  }

  /** The table that could not be read. */
  public String table() {
    return table;
  }
}
