package dev.stallwatch.pipeline.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.ReadableInstant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows idempotently to a table with a declared upsert key (CLASSROOM.md "Sinks"): each
 * {@link Row} of the given {@link Schema} becomes one row of the table, whose column names are the
 * schema's field names, and a row whose key is already there replaces it. So a replay or a retried
 * bundle adds no row, and a late update replaces the row it changes. The statement is the
 * dialect's upsert ({@link SqlDialect#upsert}); the table's primary key must be the declared key.
 *
 * <p><b>Values.</b> {@code STRING} columns are bound as text, {@code BYTE}/{@code INT16}/{@code
 * INT32}/{@code INT64} as a long, {@code FLOAT}/{@code DOUBLE} as a double (NaN and infinities,
 * which MariaDB and Oracle cannot store, as NULL, counted in {@value #NOT_FINITE}), and {@code
 * DATETIME} as text {@code yyyy-MM-dd HH:mm:ss.SSS} in the configured zone (default {@value
 * #DEFAULT_ZONE}): one text that sorts by time, reads the same in every database and never shifts
 * with a session's or driver's time zone. Nullable fields may be null; key fields may not.
 *
 * <p><b>Last write wins.</b> Rows are batched ({@link #withBatchSize}, default {@value
 * #DEFAULT_BATCH_SIZE}) and written at the end of each bundle. Within a bundle, of two rows with
 * the same key the one of the later pane wins ({@link PaneInfo#getIndex}: in streaming each firing
 * of a window for a key is newer than the one before), and at equal panes the one that arrived
 * later; the others are dropped before the batch is built (counted in {@value #SUPERSEDED}), so no
 * statement batch holds a key twice. Across bundles the later write wins: the runner delivers a
 * key's panes to one worker in order, but not across a failure (a restored job re-emits panes its
 * sink already wrote, so an older pane can land after a newer one until the newer comes again) nor
 * across jobs (a replay beside or after a live job writes its own, younger panes). Where that
 * matters, {@link #withNewerBy} makes the upsert conditional.
 *
 * <p><b>Newer by a column.</b> With {@code withNewerBy(column)} a row replaces the stored row of its
 * key only when its value of {@code column} is at least the stored one's, checked by the database
 * in the same statement (PostgreSQL {@code ON CONFLICT ... DO UPDATE ... WHERE}, MariaDB {@code ON
 * DUPLICATE KEY UPDATE c = IF(...)} with the column itself set last, Oracle {@code MERGE ... UPDATE
 * ... WHERE}, H2 {@code MERGE ... WHEN MATCHED AND}); a missing row is inserted. For a table whose
 * rows are accumulating panes of a count (C3's and C5's {@code event_count}, which never goes down
 * along a key's panes), an earlier pane delivered after a later one, from a retried bundle, a
 * restored job or a replay, then never leaves the smaller count in the table; equal counts of one
 * key are equal rows. Within a bundle the pane rule above still applies first.
 *
 * <p><b>Failures.</b> A batch that fails with a transient error ({@link TransientSqlErrors}: the
 * database restarting or away, a deadlock) is rolled back and written again, with exponential
 * backoff, for at most {@link #withMaxRetryDuration} (default 5 minutes); connections are waited
 * for in the same way ({@link PatientDataSource}). Any other error fails the bundle at once, and
 * the runner's retry of the bundle rewrites it harmlessly.
 *
 * <p>Output: a collection with no elements, to wait on with {@code Wait.on}.
 */
public final class UpsertTable extends PTransform<PCollection<Row>, PCollection<Void>> {
  public static final int DEFAULT_BATCH_SIZE = 1000;
  public static final String DEFAULT_ZONE = "Asia/Shanghai";
  public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.standardMinutes(5);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.standardSeconds(1);

  /** Counters, in namespace {@code stallwatch}. */
  public static final String WRITTEN = "upsert_rows_written";

  public static final String SUPERSEDED = "upsert_rows_superseded";
  public static final String NOT_FINITE = "upsert_values_not_finite";

  /** The pattern {@code DATETIME} values are written with. */
  public static final String TIME_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS";

  private static final Set<Schema.TypeName> SUPPORTED =
      EnumSet.of(
          Schema.TypeName.STRING,
          Schema.TypeName.BYTE,
          Schema.TypeName.INT16,
          Schema.TypeName.INT32,
          Schema.TypeName.INT64,
          Schema.TypeName.FLOAT,
          Schema.TypeName.DOUBLE,
          Schema.TypeName.DATETIME);

  private final JdbcSettings settings;
  private final String table;
  private final Schema schema;
  private final List<String> key;
  private final int batchSize;
  private final String zone;
  private final Duration maxRetryDuration;
  private final Duration initialBackoff;
  /** The column a replacing row must not be smaller in, or null: last write wins. */
  private final String newerBy;

  private UpsertTable(
      JdbcSettings settings,
      String table,
      Schema schema,
      List<String> key,
      int batchSize,
      String zone,
      Duration maxRetryDuration,
      Duration initialBackoff,
      String newerBy) {
    this.settings = settings;
    this.table = SqlDialect.checkIdentifier(table);
    this.schema = schema;
    this.key = List.copyOf(key);
    List<String> columns = schema.getFieldNames();
    SqlDialect.checkColumns(columns, this.key);
    for (Schema.Field f : schema.getFields()) {
      if (!SUPPORTED.contains(f.getType().getTypeName())) {
        throw new IllegalArgumentException(
            "column " + f.getName() + " of " + table + " has type " + f.getType().getTypeName()
                + "; an upsert table takes " + SUPPORTED);
      }
    }
    for (String k : this.key) {
      if (schema.getField(indexOf(schema, k)).getType().getNullable()) {
        throw new IllegalArgumentException(
            "key column " + k + " of " + table + " is nullable; a key column must not be");
      }
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size of " + table + " must be at least 1");
    }
    this.batchSize = batchSize;
    this.zone = ZoneId.of(zone).getId();
    this.maxRetryDuration = maxRetryDuration;
    this.initialBackoff = initialBackoff;
    if (newerBy != null) {
      Schema.Field f = schema.getField(indexOf(schema, newerBy));
      if (containsIgnoreCase(this.key, newerBy)) {
        throw new IllegalArgumentException("column " + newerBy + " of " + table + " is a key column; a row cannot be newer by it");
      }
      if (f.getType().getNullable() || !f.getType().getTypeName().isNumericType()) {
        throw new IllegalArgumentException(
            "column " + newerBy + " of " + table + " must be a number that is never null to tell newer rows");
      }
      newerBy = f.getName();
    }
    this.newerBy = newerBy;
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
  }

  /**
   * Writes rows of {@code schema} to {@code table} (optionally {@code schema.table}) of the
   * database {@code settings} describe, upserting by the {@code key} columns.
   */
  public static UpsertTable of(
      JdbcSettings settings, String table, Schema schema, List<String> key) {
    return new UpsertTable(
        settings,
        table,
        schema,
        key,
        DEFAULT_BATCH_SIZE,
        DEFAULT_ZONE,
        DEFAULT_MAX_RETRY_DURATION,
        DEFAULT_INITIAL_BACKOFF,
        null);
  }

  /** Another table name, optionally {@code schema.table}. */
  public UpsertTable withTable(String name) {
    return new UpsertTable(
        settings, name, schema, key, batchSize, zone, maxRetryDuration, initialBackoff, newerBy);
  }

  /** At most this many rows per statement batch and commit. */
  public UpsertTable withBatchSize(int size) {
    return new UpsertTable(
        settings, table, schema, key, size, zone, maxRetryDuration, initialBackoff, newerBy);
  }

  /** The zone {@code DATETIME} values are written in (default {@value #DEFAULT_ZONE}). */
  public UpsertTable withZone(String zoneId) {
    return new UpsertTable(
        settings, table, schema, key, batchSize, zoneId, maxRetryDuration, initialBackoff, newerBy);
  }

  /** How long a batch waits in all for the database to come back before it fails. */
  public UpsertTable withMaxRetryDuration(Duration duration) {
    return new UpsertTable(settings, table, schema, key, batchSize, zone, duration, initialBackoff, newerBy);
  }

  /** The first pause before a retry; later pauses double, up to 15 s (default 1 s). */
  public UpsertTable withInitialBackoff(Duration duration) {
    return new UpsertTable(
        settings, table, schema, key, batchSize, zone, maxRetryDuration, duration, newerBy);
  }

  /**
   * This sink with a conditional upsert: a row replaces the stored row of its key only when its
   * {@code column} (a number, never null, not a key column) is at least the stored one's.
   */
  public UpsertTable withNewerBy(String column) {
    return new UpsertTable(settings, table, schema, key, batchSize, zone, maxRetryDuration, initialBackoff, column);
  }

  /** The column of {@link #withNewerBy}, or null. */
  public String newerBy() {
    return newerBy;
  }

  public String table() {
    return table;
  }

  public Schema schema() {
    return schema;
  }

  public List<String> key() {
    return key;
  }

  /** The statement each row is written with. */
  public String statement() {
    if (newerBy == null) {
      return settings.dialect().upsert(table, schema.getFieldNames(), key);
    }
    return conditional(settings.dialect());
  }

  /** The upsert of {@link #withNewerBy} in {@code dialect}: the database compares, in one statement. */
  String conditional(SqlDialect dialect) {
    List<String> all = schema.getFieldNames();
    List<String> rest = new ArrayList<>();
    for (String c : all) {
      if (!containsIgnoreCase(key, c)) {
        rest.add(c);
      }
    }
    String names = String.join(", ", all);
    String marks = String.join(", ", Collections.nCopies(all.size(), "?"));
    String g = newerBy;
    switch (dialect) {
      case POSTGRES:
        return "INSERT INTO " + table + " AS t (" + names + ") VALUES (" + marks + ")"
            + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET "
            + String.join(", ", rest.stream().map(c -> c + " = EXCLUDED." + c).toList())
            + " WHERE t." + g + " <= EXCLUDED." + g;
      case MARIADB:
        {
          // assignments run left to right and see the columns set before them: the column compared
          // is set last, so every other one is compared with the stored value
          List<String> sets = new ArrayList<>();
          for (String c : rest) {
            if (!c.equals(g)) {
              sets.add(c + " = IF(" + g + " <= VALUES(" + g + "), VALUES(" + c + "), " + c + ")");
            }
          }
          sets.add(g + " = GREATEST(" + g + ", VALUES(" + g + "))");
          return "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")"
              + " ON DUPLICATE KEY UPDATE " + String.join(", ", sets);
        }
      case H2:
      case ORACLE:
      default:
        {
          boolean h2 = dialect == SqlDialect.H2;
          List<String> using = new ArrayList<>();
          for (Schema.Field f : schema.getFields()) {
            using.add((h2 ? "CAST(? AS " + h2Type(f.getType().getTypeName()) + ")" : "?") + " AS " + f.getName());
          }
          String on = String.join(" AND ", key.stream().map(c -> "t." + c + " = s." + c).toList());
          String set = String.join(", ", rest.stream().map(c -> "t." + c + " = s." + c).toList());
          String values = String.join(", ", all.stream().map(c -> "s." + c).toList());
          String condition = "t." + g + " <= s." + g;
          return "MERGE INTO " + table + " t USING (SELECT " + String.join(", ", using) + " FROM DUAL) s"
              + " ON (" + on + ")"
              + (h2
                  ? " WHEN MATCHED AND " + condition + " THEN UPDATE SET " + set
                  : " WHEN MATCHED THEN UPDATE SET " + set + " WHERE " + condition)
              + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + values + ")";
        }
    }
  }

  /** The type H2 is told each parameter has (it cannot type a bare one in a USING query). */
  private static String h2Type(Schema.TypeName type) {
    switch (type) {
      case BYTE:
      case INT16:
      case INT32:
      case INT64:
        return "BIGINT";
      case FLOAT:
      case DOUBLE:
        return "DOUBLE PRECISION";
      default:
        return "VARCHAR"; // text, and times, which are bound as text
    }
  }

  @Override
  public PCollection<Void> expand(PCollection<Row> rows) {
    if (rows.hasSchema() && !rows.getSchema().assignableTo(schema)) {
      throw new IllegalArgumentException(
          "the rows for " + table + " have schema " + rows.getSchema() + ", not " + schema);
    }
    return rows.apply("Upsert " + table, ParDo.of(writeFn())).setCoder(VoidCoder.of());
  }

  /** The DoFn that writes the rows. */
  WriteFn writeFn() {
    return new WriteFn(
        settings,
        schema,
        keyIndexes(),
        statement(),
        batchSize,
        zone,
        maxRetryDuration,
        initialBackoff);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("jdbcUrl", settings.shownUrl()));
    builder.add(DisplayData.item("table", table));
    builder.add(DisplayData.item("key", String.join(", ", key)));
    builder.add(DisplayData.item("batchSize", batchSize));
    if (newerBy != null) {
      builder.add(DisplayData.item("newerBy", newerBy));
    }
  }

  private int[] keyIndexes() {
    int[] indexes = new int[key.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = indexOf(schema, key.get(i));
    }
    return indexes;
  }

  private static int indexOf(Schema schema, String column) {
    for (int i = 0; i < schema.getFieldCount(); i++) {
      if (schema.getField(i).getName().equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + schema.getFieldNames());
  }

  /** The key of {@code row} as a map key: its key values, times as epoch milliseconds. */
  static List<Object> keyOf(Row row, int[] keyIndexes) {
    List<Object> values = new ArrayList<>(keyIndexes.length);
    for (int i : keyIndexes) {
      Object v = row.getValue(i);
      if (v == null) {
        throw new IllegalArgumentException(
            "key column " + row.getSchema().getField(i).getName() + " is null in " + row);
      }
      values.add(v instanceof ReadableInstant ? ((ReadableInstant) v).getMillis() : v);
    }
    return Collections.unmodifiableList(values);
  }

  /** A row waiting for its batch, with the pane it came in. */
  private static final class Pending {
    final Row row;
    final long pane;

    Pending(Row row, long pane) {
      this.row = row;
      this.pane = pane;
    }
  }

  /** Buffers a bundle's rows by key (the newest of each kept) and writes them in batches. */
  static final class WriteFn extends DoFn<Row, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UpsertTable.class);
    private static final long MAX_PAUSE_MILLIS = 15_000;

    private final Counter written = Metrics.counter("stallwatch", WRITTEN);
    private final Counter superseded = Metrics.counter("stallwatch", SUPERSEDED);
    private final Counter notFinite = Metrics.counter("stallwatch", NOT_FINITE);

    private final JdbcSettings settings;
    private final Schema schema;
    private final int[] keyIndexes;
    private final String sql;
    private final int batchSize;
    private final String zone;
    private final Duration maxRetryDuration;
    private final Duration initialBackoff;

    private transient DataSource source;
    private transient DateTimeFormatter times;
    /** The rows of the batch being filled, by key. */
    private transient LinkedHashMap<List<Object>, Pending> batch;
    /** The newest pane of each key this bundle has taken, written or not. */
    private transient Map<List<Object>, Long> newestPane;

    WriteFn(
        JdbcSettings settings,
        Schema schema,
        int[] keyIndexes,
        String sql,
        int batchSize,
        String zone,
        Duration maxRetryDuration,
        Duration initialBackoff) {
      this.settings = settings;
      this.schema = schema;
      this.keyIndexes = keyIndexes;
      this.sql = sql;
      this.batchSize = batchSize;
      this.zone = zone;
      this.maxRetryDuration = maxRetryDuration;
      this.initialBackoff = initialBackoff;
    }

    @Setup
    public void setup() {
      source = PatientDataSource.provider(settings, initialBackoff, maxRetryDuration).apply(null);
      times = DateTimeFormatter.ofPattern(TIME_PATTERN).withZone(ZoneId.of(zone));
    }

    @StartBundle
    public void startBundle() {
      batch = new LinkedHashMap<>();
      newestPane = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element Row row, PaneInfo pane) throws SQLException {
      if (row.getFieldCount() != schema.getFieldCount()) {
        throw new IllegalArgumentException(
            "a row of " + row.getFieldCount() + " fields for a table of " + schema.getFieldCount()
                + " columns: " + row);
      }
      List<Object> key = keyOf(row, keyIndexes);
      long index = pane.getIndex();
      Long newest = newestPane.get(key);
      if (newest != null && index < newest) {
        superseded.inc(); // an earlier pane of a key this bundle already has a later pane of
        return;
      }
      newestPane.put(key, index);
      if (batch.remove(key) != null) {
        superseded.inc();
      }
      batch.put(key, new Pending(row, index));
      if (batch.size() >= batchSize) {
        flush();
      }
    }

    @FinishBundle
    public void finishBundle() throws SQLException {
      flush();
      newestPane = null;
    }

    /** Writes the batch in one transaction, retrying transient errors while time is left. */
    private void flush() throws SQLException {
      if (batch.isEmpty()) {
        return;
      }
      long deadline = System.currentTimeMillis() + maxRetryDuration.getMillis();
      long pause = Math.max(1, initialBackoff.getMillis());
      while (true) {
        try {
          write();
          written.inc(batch.size());
          batch.clear();
          return;
        } catch (SQLException e) {
          if (!TransientSqlErrors.isTransient(e, settings.dialect())
              || System.currentTimeMillis() + pause > deadline) {
            throw e;
          }
          LOG.warn(
              "writing {} rows to {} failed ({}); trying again in {} ms",
              batch.size(),
              settings.shownUrl(),
              e.getMessage(),
              pause);
          try {
            Thread.sleep(pause);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
          pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
      }
    }

    private void write() throws SQLException {
      try (Connection c = source.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(sql)) {
          for (Pending p : batch.values()) {
            bind(p.row, s);
            s.addBatch();
          }
          s.executeBatch();
          c.commit();
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException lost) {
            e.addSuppressed(lost);
          }
          throw e;
        }
      }
    }

    private void bind(Row row, PreparedStatement s) throws SQLException {
      for (int i = 0; i < schema.getFieldCount(); i++) {
        Schema.TypeName type = schema.getField(i).getType().getTypeName();
        Object value = row.getValue(i);
        int index = i + 1;
        switch (type) {
          case STRING:
            if (value == null) {
              s.setNull(index, Types.VARCHAR);
            } else {
              s.setString(index, (String) value);
            }
            break;
          case BYTE:
          case INT16:
          case INT32:
          case INT64:
            if (value == null) {
              s.setNull(index, Types.BIGINT);
            } else {
              s.setLong(index, ((Number) value).longValue());
            }
            break;
          case FLOAT:
          case DOUBLE:
            double d = value == null ? Double.NaN : ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
              s.setDouble(index, d);
            } else {
              if (value != null) {
                notFinite.inc();
              }
              s.setNull(index, Types.DOUBLE);
            }
            break;
          case DATETIME:
            if (value == null) {
              s.setNull(index, Types.VARCHAR);
            } else {
              s.setString(
                  index, times.format(Instant.ofEpochMilli(((ReadableInstant) value).getMillis())));
            }
            break;
          default:
            throw new IllegalStateException("unsupported column type " + type);
        }
      }
    }
  }
}
