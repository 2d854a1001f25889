package dev.stallwatch.pipeline.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The databases StallWatch writes its audit table to and reads its dimensions from. Each speaks its
 * own idempotent upsert — the audit table must not grow when a replay or a retried bundle writes
 * an alert again (SPEC §5) — so the statement text lives here, one method per dialect.
 *
 * <ul>
 *   <li>{@link #ORACLE}: production. {@code MERGE ... USING (SELECT ? AS c, ... FROM DUAL)}.
 *   <li>{@link #H2}: H2 in {@code MODE=Oracle}, for tests and the embedded default. The same MERGE,
 *       but H2 cannot type a bare {@code ?} in the {@code USING} query, so each parameter is cast.
 *   <li>{@link #POSTGRES}: {@code INSERT ... ON CONFLICT (key) DO UPDATE}.
 *   <li>{@link #MARIADB}: MariaDB, and MySQL through the same driver (MariaDB Connector/J, which
 *       {@link JdbcSettings} hands a {@code jdbc:mysql:} URL as {@code jdbc:mariadb:}): {@code
 *       INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c)}, which both servers take.
 * </ul>
 *
 * <p>{@link #auditUpsert} writes the audit table; {@link #upsert} any table with a declared key
 * (the classroom tables, {@link UpsertTable}).
 */
public enum SqlDialect {
  ORACLE("oracle", "jdbc:oracle:", "oracle.jdbc.OracleDriver"),
  H2("h2", "jdbc:h2:", "org.h2.Driver"),
  POSTGRES("postgres", "jdbc:postgresql:", "org.postgresql.Driver"),
  MARIADB("mariadb", "jdbc:mariadb:", "org.mariadb.jdbc.Driver");

  /** The other URL prefix {@link #MARIADB} takes: MySQL's, served by the same driver. */
  static final String MYSQL_URL_PREFIX = "jdbc:mysql:";

  /** A table name, optionally qualified by its schema; anything else could smuggle in SQL. */
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$#]*(\\.[A-Za-z_][A-Za-z0-9_$#]*)?");

  /** A column name: one plain identifier. */
  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$#]*");

  private final String optionName;
  private final String urlPrefix;
  private final String driverClassName;

  SqlDialect(String optionName, String urlPrefix, String driverClassName) {
    this.optionName = optionName;
    this.urlPrefix = urlPrefix;
    this.driverClassName = driverClassName;
  }

  /**
   * The dialect named {@code name} ({@code oracle}, {@code h2}, {@code postgres} or {@code
   * mariadb}, any case).
   */
  public static SqlDialect parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (SqlDialect d : values()) {
      if (d.optionName.equals(wanted)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown SQL dialect '" + name + "': expected one of " + allowedNames());
  }

  /**
   * The dialect of a JDBC URL: {@code jdbc:oracle:}, {@code jdbc:h2:} (taken to be in Oracle mode),
   * {@code jdbc:postgresql:}, or {@code jdbc:mariadb:} and {@code jdbc:mysql:}.
   */
  public static SqlDialect fromUrl(String jdbcUrl) {
    for (SqlDialect d : values()) {
      if (d.matchesUrl(jdbcUrl)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "cannot tell the SQL dialect of a JDBC URL that starts with none of jdbc:oracle:, jdbc:h2:,"
            + " jdbc:postgresql:, jdbc:mariadb: and jdbc:mysql:");
  }

  /** {@code oracle, h2, postgres, mariadb}: the names {@link #parse} takes. */
  public static String allowedNames() {
    List<String> names = new ArrayList<>();
    for (SqlDialect d : values()) {
      names.add(d.optionName);
    }
    return String.join(", ", names);
  }

  /** The name {@link #parse} takes for this dialect. */
  public String optionName() {
    return optionName;
  }

  /** The JDBC driver StallWatch ships for this dialect. */
  public String driverClassName() {
    return driverClassName;
  }

  String urlPrefix() {
    return urlPrefix;
  }

  boolean matchesUrl(String jdbcUrl) {
    return startsWith(jdbcUrl, urlPrefix)
        || (this == MARIADB && startsWith(jdbcUrl, MYSQL_URL_PREFIX));
  }

  /**
   * The URL to give this dialect's driver: {@code jdbcUrl} itself, except that MariaDB Connector/J
   * refuses a {@code jdbc:mysql:} URL (unless it says {@code permitMysqlScheme}), so for {@link
   * #MARIADB} that prefix becomes {@code jdbc:mariadb:}; the rest of the URL is kept as given.
   */
  String driverUrl(String jdbcUrl) {
    if (this == MARIADB && startsWith(jdbcUrl, MYSQL_URL_PREFIX)) {
      return urlPrefix + jdbcUrl.substring(MYSQL_URL_PREFIX.length());
    }
    return jdbcUrl;
  }

  private static boolean startsWith(String url, String prefix) {
    return url != null && url.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /**
   * The statement that inserts one alert into {@code table}, or updates the row already there with
   * the same key, binding the audit columns in their declared order.
   */
  public String auditUpsert(String table) {
    String t = checkIdentifier(table);
    switch (this) {
      case POSTGRES:
        return postgresUpsert(t);
      case H2:
        return merge(t, true);
      case MARIADB:
        return onDuplicateKey(
            t, columns(AuditColumn::name, List.of(AuditColumn.values())), columns(AuditColumn::name, nonKey()));
      case ORACLE:
      default:
        return merge(t, false);
    }
  }

  /**
   * The statement that inserts one row of {@code columns} (bound in that order) into {@code
   * table}, or replaces the non-key columns of the row already there with the same {@code key}
   * (a subset of the columns, in any order): the last write of a key wins.
   *
   * <ul>
   *   <li>Oracle: {@code MERGE INTO t USING (SELECT ? AS a, ... FROM DUAL) s ON (t.k = s.k ...)
   *       WHEN MATCHED THEN UPDATE SET ... WHEN NOT MATCHED THEN INSERT ...};
   *   <li>H2: {@code MERGE INTO t (a, ...) KEY (k, ...) VALUES (?, ...)}, H2's own upsert, which
   *       needs no typed parameters;
   *   <li>PostgreSQL: {@code INSERT ... ON CONFLICT (k, ...) DO UPDATE SET a = EXCLUDED.a ...};
   *   <li>MariaDB/MySQL: {@code INSERT ... ON DUPLICATE KEY UPDATE a = VALUES(a) ...}: the table's
   *       primary key must be exactly {@code key}, since MariaDB matches on any unique key.
   * </ul>
   *
   * <p>When every column is a key column there is nothing to update: the statement inserts a
   * missing row and leaves an existing one alone.
   */
  public String upsert(String table, List<String> columns, List<String> key) {
    String t = checkIdentifier(table);
    List<String> all = checkColumns(columns, key);
    List<String> keyColumns = new ArrayList<>(key);
    List<String> rest = new ArrayList<>();
    for (String c : all) {
      if (!containsIgnoreCase(keyColumns, c)) {
        rest.add(c);
      }
    }
    String names = String.join(", ", all);
    String marks = all.stream().map(c -> "?").collect(Collectors.joining(", "));
    switch (this) {
      case POSTGRES:
        return "INSERT INTO " + t + " (" + names + ") VALUES (" + marks + ")"
            + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO "
            + (rest.isEmpty()
                ? "NOTHING"
                : "UPDATE SET "
                    + rest.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", ")));
      case MARIADB:
        return onDuplicateKey(t, all, rest.isEmpty() ? List.of(keyColumns.get(0)) : rest);
      case H2:
        return "MERGE INTO " + t + " (" + names + ") KEY (" + String.join(", ", keyColumns) + ")"
            + " VALUES (" + marks + ")";
      case ORACLE:
      default:
        String using = all.stream().map(c -> "? AS " + c).collect(Collectors.joining(", "));
        String on =
            keyColumns.stream().map(c -> "t." + c + " = s." + c).collect(Collectors.joining(" AND "));
        String values = all.stream().map(c -> "s." + c).collect(Collectors.joining(", "));
        return "MERGE INTO " + t + " t"
            + " USING (SELECT " + using + " FROM DUAL) s"
            + " ON (" + on + ")"
            + (rest.isEmpty()
                ? ""
                : " WHEN MATCHED THEN UPDATE SET "
                    + rest.stream().map(c -> "t." + c + " = s." + c).collect(Collectors.joining(", ")))
            + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + values + ")";
    }
  }

  /**
   * MariaDB's upsert; {@code update} are the columns set from the new row ({@code VALUES(c)}, which
   * MySQL 8 still takes, though it prefers a row alias MariaDB does not know).
   */
  private static String onDuplicateKey(String table, List<String> all, List<String> update) {
    return "INSERT INTO " + table + " (" + String.join(", ", all) + ")"
        + " VALUES (" + all.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")"
        + " ON DUPLICATE KEY UPDATE "
        + update.stream().map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", "));
  }

  /**
   * The columns when each is a plain identifier, none repeats (in any case) and {@code key} is a
   * non-empty subset of them without repeats; otherwise an error.
   */
  static List<String> checkColumns(List<String> columns, List<String> key) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("an upsert needs at least one column");
    }
    List<String> seen = new ArrayList<>();
    for (String c : columns) {
      checkColumn(c);
      if (containsIgnoreCase(seen, c)) {
        throw new IllegalArgumentException("column " + c + " is given twice");
      }
      seen.add(c);
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("an upsert needs a key of at least one column");
    }
    List<String> keySeen = new ArrayList<>();
    for (String k : key) {
      if (!containsIgnoreCase(seen, k)) {
        throw new IllegalArgumentException("key column " + k + " is not one of the columns " + seen);
      }
      if (containsIgnoreCase(keySeen, k)) {
        throw new IllegalArgumentException("key column " + k + " is given twice");
      }
      keySeen.add(k);
    }
    return seen;
  }

  /** {@code name} when it is a plain SQL identifier (no schema); otherwise an error. */
  static String checkColumn(String name) {
    if (name == null || !COLUMN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a column name (letters, digits, _ $ #, not starting with a digit)");
    }
    return name;
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    for (String n : names) {
      if (n.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** {@code name} when it is a plain or schema-qualified SQL identifier; otherwise an error. */
  static String checkIdentifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a table name (letters, digits, _ $ #, optionally schema.table)");
    }
    return name;
  }

  private static String merge(String table, boolean castParameters) {
    List<AuditColumn> all = List.of(AuditColumn.values());
    String using = columns(c -> (castParameters ? cast(c) : "?") + " AS " + c.name(), ", ", all);
    String on = columns(c -> "t." + c.name() + " = s." + c.name(), " AND ", AuditColumn.KEY);
    String set = columns(c -> "t." + c.name() + " = s." + c.name(), ", ", nonKey());
    String names = columns(AuditColumn::name, ", ", all);
    String values = columns(c -> "s." + c.name(), ", ", all);
    return "MERGE INTO " + table + " t"
        + " USING (SELECT " + using + " FROM DUAL) s"
        + " ON (" + on + ")"
        + " WHEN MATCHED THEN UPDATE SET " + set
        + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + values + ")";
  }

  private static String cast(AuditColumn c) {
    return c.isNumber()
        ? "CAST(? AS NUMBER(" + c.size + "))"
        : "CAST(? AS VARCHAR2(" + c.size + "))";
  }

  private static String postgresUpsert(String table) {
    List<AuditColumn> all = List.of(AuditColumn.values());
    String names = columns(AuditColumn::name, ", ", all);
    String marks = columns(c -> "?", ", ", all);
    String key = columns(AuditColumn::name, ", ", AuditColumn.KEY);
    String set = columns(c -> c.name() + " = EXCLUDED." + c.name(), ", ", nonKey());
    return "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")"
        + " ON CONFLICT (" + key + ") DO UPDATE SET " + set;
  }

  private static List<AuditColumn> nonKey() {
    List<AuditColumn> columns = new ArrayList<>();
    for (AuditColumn c : AuditColumn.values()) {
      if (!c.isKey()) {
        columns.add(c);
      }
    }
    return columns;
  }

  private static String columns(
      Function<AuditColumn, String> render, String separator, List<AuditColumn> columns) {
    return columns.stream().map(render).collect(Collectors.joining(separator));
  }

  private static List<String> columns(Function<AuditColumn, String> render, List<AuditColumn> columns) {
    return columns.stream().map(render).collect(Collectors.toList());
  }
}
