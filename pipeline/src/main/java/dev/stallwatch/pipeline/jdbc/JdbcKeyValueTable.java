package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.transforms.StallMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.joda.time.ReadableInstant;

/**
 * A {@link KeyValueTable} in a JDBC table whose primary key is the row key column: the stand-in
 * for the article's HBase table (CLASSROOM.md C2, "Sinks"), on MariaDB/MySQL, PostgreSQL, Oracle
 * and H2 in Oracle mode (C2's {@link #levelDictionary}: not Oracle, see there). Columns are the schema's field names; values are stored as {@link
 * UpsertTable} stores them (times as text {@value UpsertTable#TIME_PATTERN} in the configured
 * zone, default {@value UpsertTable#DEFAULT_ZONE}).
 *
 * <p><b>Writing.</b> The writer is {@link UpsertTable#withNewerBy}: the database replaces a stored
 * row only when the written row's version is at least the stored one's, in the same statement. That
 * condition compares a number, so a version column that is a time ({@code DATETIME}, C2's {@code
 * update_time}) is stored a second time, as epoch milliseconds, in the column {@code
 * <version>}{@value #MILLIS_SUFFIX} ({@code update_time_ms}), which the writer fills and the
 * readers leave out: text times compare in order only in a zone without daylight saving, numbers
 * always do. Before the upsert, each bundle keeps only the newest row of each key ({@code
 * stallwatch/}{@value #OLDER_IN_BUNDLE} counts the others): {@link UpsertTable} itself lets the
 * later arrival of a bundle win, which for a dictionary whose messages can come out of order is the
 * wrong one.
 *
 * <p><b>Reading.</b> {@link #readAll} and {@link #get} read the table now, by plain JDBC; a failure
 * is a {@link DimensionLoadException} naming the table and the URL. Oracle stores an empty text as
 * NULL, so there an empty value reads back as null.
 */
public final class JdbcKeyValueTable implements KeyValueTable {
  private static final long serialVersionUID = 1L;

  /** C2's table under its default name. */
  public static final String DEFAULT_LEVEL_DICTIONARY = "channel_name_dictionary";

  /** The suffix of the column a time version is stored in as epoch milliseconds. */
  public static final String MILLIS_SUFFIX = "_ms";

  /** Counter, in namespace {@code stallwatch}, of rows dropped for a newer row of their key in their bundle. */
  public static final String OLDER_IN_BUNDLE = "kv_rows_older_in_bundle";

  /**
   * C2's rows: {@code rowkey} (lowercase hex MD5 of {@code id}), the dictionary message's fields,
   * and {@code update_time}, the version.
   */
  public static final Schema LEVEL_DICTIONARY =
      Schema.builder()
          .addStringField("rowkey")
          .addNullableField("id", Schema.FieldType.STRING)
          .addNullableField("chinese_name", Schema.FieldType.STRING)
          .addNullableField("english_name", Schema.FieldType.STRING)
          .addNullableField("level", Schema.FieldType.STRING)
          .addNullableField("pid", Schema.FieldType.STRING)
          .addNullableField("create_time", Schema.FieldType.DATETIME)
          .addDateTimeField("update_time")
          .addNullableField("dept_id", Schema.FieldType.STRING)
          .build();

  private static final java.util.Set<Schema.TypeName> INTEGRAL =
      java.util.EnumSet.of(
          Schema.TypeName.BYTE, Schema.TypeName.INT16, Schema.TypeName.INT32, Schema.TypeName.INT64);
  private static final int QUERY_TIMEOUT_SECONDS = 300;
  private static final int FETCH_SIZE = 5000;

  private final JdbcSettings settings;
  private final String table;
  private final Schema schema;
  private final String keyColumn;
  private final String versionColumn;
  private final String zone;
  /** The shipped DDL's resource prefix ({@code <prefix>-<dialect>.sql}), or null. */
  private final String ddl;

  private JdbcKeyValueTable(
      JdbcSettings settings,
      String table,
      Schema schema,
      String keyColumn,
      String versionColumn,
      String zone,
      String ddl) {
    this.settings = settings;
    this.table = SqlDialect.checkIdentifier(table);
    this.schema = schema;
    this.keyColumn = schema.getField(fieldIndex(schema, keyColumn)).getName();
    this.versionColumn = schema.getField(fieldIndex(schema, versionColumn)).getName();
    this.zone = ZoneId.of(zone).getId();
    this.ddl = ddl;
    Schema.FieldType key = schema.getField(this.keyColumn).getType();
    if (key.getTypeName() != Schema.TypeName.STRING || key.getNullable()) {
      throw new IllegalArgumentException(
          "the row key " + keyColumn + " of " + table + " must be a text that is never null");
    }
    Schema.FieldType version = schema.getField(this.versionColumn).getType();
    if (version.getNullable() || !(INTEGRAL.contains(version.getTypeName()) || isTime(version))) {
      throw new IllegalArgumentException(
          "the version " + versionColumn + " of " + table
              + " must be an integer or a time that is never null");
    }
    if (isTime(version) && schema.hasField(this.versionColumn + MILLIS_SUFFIX)) {
      throw new IllegalArgumentException(
          "the schema of " + table + " has a field " + this.versionColumn + MILLIS_SUFFIX
              + ", the column its version is stored in as milliseconds");
    }
    sink(); // the upsert's own checks: types it can write, a key that is not the version
  }

  /**
   * Rows of {@code schema} in {@code table} (optionally {@code schema.table}) of the database
   * {@code settings} describe, by {@code keyColumn} (a text, never null, the primary key), newer
   * by {@code versionColumn} (an integer or a time, never null).
   */
  public static JdbcKeyValueTable of(
      JdbcSettings settings, String table, Schema schema, String keyColumn, String versionColumn) {
    return new JdbcKeyValueTable(
        settings, table, schema, keyColumn, versionColumn, UpsertTable.DEFAULT_ZONE, null);
  }

  /**
   * C2's level dictionary ({@link #LEVEL_DICTIONARY}) in {@code tableName} (default {@value
   * #DEFAULT_LEVEL_DICTIONARY}), by {@code rowkey}, newer by {@code update_time}; {@link
   * #createMissing} creates it from the shipped DDL. On MariaDB/MySQL, PostgreSQL and H2; not on
   * Oracle, where {@code LEVEL} is a reserved word (an {@link IllegalArgumentException}).
   */
  public static JdbcKeyValueTable levelDictionary(JdbcSettings settings, String tableName) {
    levelDictionaryResource(settings.dialect()); // no Oracle: LEVEL is reserved there
    return new JdbcKeyValueTable(
        settings,
        tableName,
        LEVEL_DICTIONARY,
        "rowkey",
        "update_time",
        UpsertTable.DEFAULT_ZONE,
        "level-dictionary");
  }

  /** The zone times are written and read in (default {@value UpsertTable#DEFAULT_ZONE}). */
  public JdbcKeyValueTable withZone(String zoneId) {
    return new JdbcKeyValueTable(settings, table, schema, keyColumn, versionColumn, zoneId, ddl);
  }

  @Override
  public String name() {
    return table;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public String keyColumn() {
    return keyColumn;
  }

  /** The column a row must not be older in to replace the stored one. */
  public String versionColumn() {
    return versionColumn;
  }

  /**
   * The table's columns: {@link #schema}'s, and for a time version the column {@code
   * <version>}{@value #MILLIS_SUFFIX} after them.
   */
  public Schema storedSchema() {
    if (!isTime(schema.getField(versionColumn).getType())) {
      return schema;
    }
    Schema.Builder stored = Schema.builder();
    for (Schema.Field f : schema.getFields()) {
      stored.addField(f);
    }
    return stored.addInt64Field(versionColumn + MILLIS_SUFFIX).build();
  }

  /** The conditional upsert the writer ends in, for rows of {@link #storedSchema}. */
  public UpsertTable sink() {
    Schema stored = storedSchema();
    String compared = stored == schema ? versionColumn : versionColumn + MILLIS_SUFFIX;
    return UpsertTable.of(settings, table, stored, List.of(keyColumn))
        .withZone(zone)
        .withNewerBy(compared);
  }

  @Override
  public PTransform<PCollection<Row>, PCollection<Void>> writer() {
    return new Writer(this);
  }

  /** The writer: the newest row of each key per bundle, the version in milliseconds, the upsert. */
  private static final class Writer extends PTransform<PCollection<Row>, PCollection<Void>> {
    private static final long serialVersionUID = 1L;
    private final JdbcKeyValueTable kv;

    Writer(JdbcKeyValueTable kv) {
      this.kv = kv;
    }

    @Override
    public PCollection<Void> expand(PCollection<Row> rows) {
      if (rows.hasSchema() && !rows.getSchema().assignableTo(kv.schema)) {
        throw new IllegalArgumentException(
            "the rows for " + kv.table + " have schema " + rows.getSchema() + ", not " + kv.schema);
      }
      Schema stored = kv.storedSchema();
      PCollection<Row> newest =
          rows.apply(
                  "NewestPerKey " + kv.table,
                  ParDo.of(
                      new NewestInBundleFn(
                          fieldIndex(kv.schema, kv.keyColumn),
                          fieldIndex(kv.schema, kv.versionColumn))))
              .setRowSchema(kv.schema);
      PCollection<Row> toWrite =
          stored == kv.schema
              ? newest
              : newest
                  .apply(
                      "VersionMillis " + kv.table,
                      ParDo.of(new WithMillisFn(stored, fieldIndex(kv.schema, kv.versionColumn))))
                  .setRowSchema(stored);
      return toWrite.apply(kv.sink());
    }
  }

  /**
   * Keeps, of each bundle's rows of one key, the one of the greatest version (at equal versions the
   * later arrival) and emits them when the bundle finishes, each with its own timestamp and window.
   */
  static final class NewestInBundleFn extends DoFn<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Counter older = Metrics.counter(StallMetrics.NAMESPACE, OLDER_IN_BUNDLE);
    private final int keyIndex;
    private final int versionIndex;
    private transient LinkedHashMap<String, Held> held;

    NewestInBundleFn(int keyIndex, int versionIndex) {
      this.keyIndex = keyIndex;
      this.versionIndex = versionIndex;
    }

    @StartBundle
    public void startBundle() {
      held = new LinkedHashMap<>();
    }

    @ProcessElement
    public void process(@Element Row row, @Timestamp Instant timestamp, BoundedWindow window) {
      String key = row.getString(keyIndex);
      if (key == null) {
        throw new IllegalArgumentException("the row key is null in " + row);
      }
      long version = version(row.getValue(versionIndex));
      Held before = held.get(key);
      if (before != null && version < before.version) {
        older.inc();
        return;
      }
      if (before != null) {
        older.inc();
      }
      held.put(key, new Held(row, version, timestamp, window));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Held h : held.values()) {
        context.output(h.row, h.timestamp, h.window);
      }
      held = null;
    }
  }

  private static final class Held {
    final Row row;
    final long version;
    final Instant timestamp;
    final BoundedWindow window;

    Held(Row row, long version, Instant timestamp, BoundedWindow window) {
      this.row = row;
      this.version = version;
      this.timestamp = timestamp;
      this.window = window;
    }
  }

  /** A version as a number: an integer as it is, a time as epoch milliseconds. */
  static long version(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("a row's version is null");
    }
    return value instanceof ReadableInstant
        ? ((ReadableInstant) value).getMillis()
        : ((Number) value).longValue();
  }

  /** A row of the schema as a row of the stored schema: the time version added in milliseconds. */
  static final class WithMillisFn extends DoFn<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Schema stored;
    private final int versionIndex;

    WithMillisFn(Schema stored, int versionIndex) {
      this.stored = stored;
      this.versionIndex = versionIndex;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      out.output(
          Row.withSchema(stored)
              .addValues(row.getValues())
              .addValue(version(row.getValue(versionIndex)))
              .build());
    }
  }

  @Override
  public Map<String, Row> readAll() {
    Map<String, Row> rows = new LinkedHashMap<>();
    try (Connection c = settings.connect();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      s.setFetchSize(FETCH_SIZE);
      try (ResultSet r = s.executeQuery(select() + " ORDER BY " + keyColumn)) {
        DateTimeFormatter times = times();
        while (r.next()) {
          Row row = row(r, times);
          rows.put(row.getString(keyColumn), row);
        }
      }
    } catch (SQLException e) {
      throw new DimensionLoadException(table, settings.shownUrl(), e);
    }
    return rows;
  }

  @Override
  public Row get(String key) {
    try (Connection c = settings.connect();
        PreparedStatement s = c.prepareStatement(select() + " WHERE " + keyColumn + " = ?")) {
      s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      s.setString(1, key);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? row(r, times()) : null;
      }
    } catch (SQLException e) {
      throw new DimensionLoadException(table, settings.shownUrl(), e);
    }
  }

  private String select() {
    return "SELECT " + String.join(", ", schema.getFieldNames()) + " FROM " + table;
  }

  private DateTimeFormatter times() {
    return DateTimeFormatter.ofPattern(UpsertTable.TIME_PATTERN).withZone(ZoneId.of(zone));
  }

  /** The current row of {@code r} as a row of the schema, values back in the schema's types. */
  private Row row(ResultSet r, DateTimeFormatter times) throws SQLException {
    List<Object> values = new ArrayList<>(schema.getFieldCount());
    for (int i = 0; i < schema.getFieldCount(); i++) {
      Schema.TypeName type = schema.getField(i).getType().getTypeName();
      int column = i + 1;
      Object value;
      switch (type) {
        case STRING:
          value = r.getString(column);
          break;
        case BYTE:
        case INT16:
        case INT32:
        case INT64:
          {
            long n = r.getLong(column);
            value = r.wasNull() ? null : integral(type, n);
            break;
          }
        case FLOAT:
        case DOUBLE:
          {
            double d = r.getDouble(column);
            value = r.wasNull() ? null : type == Schema.TypeName.FLOAT ? (Object) (float) d : d;
            break;
          }
        case DATETIME:
          {
            String text = r.getString(column);
            value =
                text == null
                    ? null
                    : new Instant(
                        LocalDateTime.parse(text, times).atZone(ZoneId.of(zone)).toInstant().toEpochMilli());
            break;
          }
        default:
          throw new IllegalStateException("unsupported column type " + type);
      }
      values.add(value);
    }
    return Row.withSchema(schema).addValues(values).build();
  }

  private static Object integral(Schema.TypeName type, long n) {
    switch (type) {
      case BYTE:
        return (byte) n;
      case INT16:
        return (short) n;
      case INT32:
        return (int) n;
      default:
        return n;
    }
  }

  /** The shipped script's resource name for {@code dialect}, relative to this class. */
  public static String levelDictionaryResource(SqlDialect dialect) {
    return resource("level-dictionary", dialect);
  }

  private static String resource(String prefix, SqlDialect dialect) {
    switch (dialect) {
      case MARIADB:
        return prefix + "-mariadb.sql";
      case POSTGRES:
        return prefix + "-postgres.sql";
      case H2:
        return prefix + "-h2.sql";
      case ORACLE:
      default:
        throw new IllegalArgumentException(
            "no " + prefix + " table on " + dialect.optionName() + ": LEVEL is a reserved word of"
                + " Oracle, so its level column cannot be written there");
    }
  }

  /** The CREATE TABLE statement of the shipped DDL for this table's dialect, under its name. */
  public String createStatement() {
    if (ddl == null) {
      throw new IllegalStateException("no DDL is shipped for " + table + "; create it yourself");
    }
    String resource = resource(ddl, settings.dialect());
    return TableScripts.renamed(TableScripts.shipped(resource), resource, Map.of(DEFAULT_LEVEL_DICTIONARY, table)).get(table);
  }

  /** Creates the table from the shipped DDL unless it exists; true when it was created. */
  public boolean createMissing() throws SQLException {
    return !TableScripts.createMissing(settings, Map.of(table, createStatement())).isEmpty();
  }

  private static boolean isTime(Schema.FieldType type) {
    return type.getTypeName() == Schema.TypeName.DATETIME;
  }

  private static int fieldIndex(Schema schema, String column) {
    for (int i = 0; i < schema.getFieldCount(); i++) {
      if (schema.getField(i).getName().equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + schema.getFieldNames());
  }

  @Override
  public String toString() {
    return "JdbcKeyValueTable{" + table + " by " + keyColumn + ", newer by " + versionColumn + "}";
  }
}
