package dev.stallwatch.pipeline.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DDL of StallWatch's tables, kept once as classpath resources beside this class ({@code
 * oracle.sql}, which H2 in Oracle mode runs too, {@code postgres.sql} and {@code mariadb.sql}; {@code
 * src/sql/README.md} points at them) so that a DBA, the tests and the embedded default all create
 * the same tables.
 */
public final class TableScripts {
  private TableScripts() {}

  private static final Pattern CREATE_TABLE =
      Pattern.compile("(?is)\\s*CREATE\\s+TABLE\\s+([A-Za-z0-9_$#.]+)\\s*\\(.*");

  /** The script's resource name, relative to this class. */
  public static String resource(SqlDialect dialect) {
    switch (dialect) {
      case POSTGRES:
        return "postgres.sql";
      case MARIADB:
        return "mariadb.sql";
      default:
        return "oracle.sql";
    }
  }

  /** The script of {@code dialect} as it is shipped (default table names). */
  public static String script(SqlDialect dialect) {
    return shipped(resource(dialect));
  }

  /** A DDL script shipped beside this class, by its resource name. */
  static String shipped(String resource) {
    try (InputStream in = TableScripts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The script's CREATE TABLE statements by the table each creates, under the given names: the
   * audit table and the dimension tables in use (a dimension table not in use is left out).
   */
  public static Map<String, String> statements(
      SqlDialect dialect, String auditTable, DimensionTables tables) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put(AuditTable.DEFAULT_TABLE, SqlDialect.checkIdentifier(auditTable));
    names.put(DimensionTables.DEFAULT_BLACKLIST, tables.blacklist());
    names.put(DimensionTables.DEFAULT_EXISTING_CUSTOMERS, tables.existingCustomers());
    names.put(DimensionTables.DEFAULT_CHANNELS, tables.channels());

    Map<String, String> statements = new LinkedHashMap<>();
    for (String statement : split(script(dialect))) {
      Matcher m = CREATE_TABLE.matcher(statement);
      if (!m.matches()) {
        throw new IllegalStateException(
            resource(dialect) + " may hold only CREATE TABLE statements, not: " + statement);
      }
      String shipped = m.group(1);
      if (!names.containsKey(shipped)) {
        throw new IllegalStateException(resource(dialect) + " creates an unknown table " + shipped);
      }
      String wanted = names.get(shipped);
      if (wanted != null) {
        statements.put(
            wanted, statement.substring(0, m.start(1)) + wanted + statement.substring(m.end(1)));
      }
    }
    return statements;
  }

  /**
   * Creates those of the tables that do not exist yet and answers their names; existing tables are
   * left as they are.
   */
  public static List<String> createMissing(
      JdbcSettings settings, String auditTable, DimensionTables tables) throws SQLException {
    List<String> created = new ArrayList<>();
    try (Connection c = settings.connect()) {
      c.setAutoCommit(true);
      for (Map.Entry<String, String> e :
          statements(settings.dialect(), auditTable, tables).entrySet()) {
        if (!exists(c, e.getKey())) {
          try (Statement s = c.createStatement()) {
            s.execute(e.getValue());
          }
          created.add(e.getKey());
        }
      }
    }
    return created;
  }

  /**
   * The CREATE TABLE statements of {@code script} (shipped as {@code resource}) by the table each
   * creates, renamed: {@code names} maps each shipped name to the name in use, and the script must
   * create exactly those tables.
   */
  public static Map<String, String> renamed(String script, String resource, Map<String, String> names) {
    Map<String, String> statements = new LinkedHashMap<>();
    for (String statement : split(script)) {
      Matcher m = CREATE_TABLE.matcher(statement);
      if (!m.matches()) {
        throw new IllegalStateException(resource + " may hold only CREATE TABLE statements, not: " + statement);
      }
      String wanted = names.get(m.group(1));
      if (wanted == null) {
        throw new IllegalStateException(resource + " creates an unknown table " + m.group(1));
      }
      statements.put(wanted, statement.substring(0, m.start(1)) + wanted + statement.substring(m.end(1)));
    }
    if (statements.size() != names.size()) {
      throw new IllegalStateException(resource + " does not create every table of " + names.keySet());
    }
    return statements;
  }

  /** Runs those of {@code statements} (by table) whose table does not exist yet; answers the tables created. */
  public static List<String> createMissing(JdbcSettings settings, Map<String, String> statements) throws SQLException {
    List<String> created = new ArrayList<>();
    try (Connection c = settings.connect()) {
      c.setAutoCommit(true);
      for (Map.Entry<String, String> e : statements.entrySet()) {
        if (!exists(c, e.getKey())) {
          try (Statement s = c.createStatement()) {
            s.execute(e.getValue());
          }
          created.add(e.getKey());
        }
      }
    }
    return created;
  }

  private static boolean exists(Connection c, String table) {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** The statements of a script: line comments dropped, split at semicolons. */
  static List<String> split(String script) {
    StringBuilder text = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      int comment = line.indexOf("--");
      text.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
    }
    List<String> statements = new ArrayList<>();
    for (String part : text.toString().split(";")) {
      if (!part.trim().isEmpty()) {
        statements.add(part.trim());
      }
    }
    return statements;
  }
}
