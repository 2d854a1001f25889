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
 * </ul>
 */
public enum SqlDialect {
  ORACLE("oracle", "jdbc:oracle:", "oracle.jdbc.OracleDriver"),
  H2("h2", "jdbc:h2:", "org.h2.Driver"),
  POSTGRES("postgres", "jdbc:postgresql:", "org.postgresql.Driver");

  /** A table name, optionally qualified by its schema; anything else could smuggle in SQL. */
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$#]*(\\.[A-Za-z_][A-Za-z0-9_$#]*)?");

  private final String optionName;
  private final String urlPrefix;
  private final String driverClassName;

  SqlDialect(String optionName, String urlPrefix, String driverClassName) {
    this.optionName = optionName;
    this.urlPrefix = urlPrefix;
    this.driverClassName = driverClassName;
  }

  /** The dialect named {@code name} ({@code oracle}, {@code h2} or {@code postgres}, any case). */
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
   * The dialect of a JDBC URL: {@code jdbc:oracle:}, {@code jdbc:h2:} (taken to be in Oracle mode)
   * or {@code jdbc:postgresql:}.
   */
  public static SqlDialect fromUrl(String jdbcUrl) {
    for (SqlDialect d : values()) {
      if (d.matchesUrl(jdbcUrl)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "cannot tell the SQL dialect of a JDBC URL that starts with neither jdbc:oracle:, jdbc:h2:"
            + " nor jdbc:postgresql:");
  }

  /** {@code oracle, h2, postgres}: the names {@link #parse} takes. */
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
    return jdbcUrl != null && jdbcUrl.regionMatches(true, 0, urlPrefix, 0, urlPrefix.length());
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
      case ORACLE:
      default:
        return merge(t, false);
    }
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
}
