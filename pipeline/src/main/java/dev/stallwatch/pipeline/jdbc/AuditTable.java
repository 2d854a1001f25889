package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.transforms.StallMetrics;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Records every alert in the audit table (SPEC §5, {@value #DEFAULT_TABLE} by default): one row
 * per alert, keyed by {@code (EVENT_ID, MOBILE, EVENT_DATE)} and written with the dialect's
 * upsert, so a replayed or retried alert leaves the table as it was. The DDL is in this package's
 * resources ({@link TableScripts}).
 *
 * <p>Empty fields are stored as NULL in every dialect (Oracle cannot tell the two apart); a value
 * longer than its column is cut to fit and counted in {@code stallwatch/audit_values_truncated}
 * rather than failing the write forever.
 *
 * <p>A database that is unreachable or restarting is waited for, for at most {@link
 * #withMaxRetryDuration} (default 5 minutes): JdbcIO's retry strategy and backoff replay a batch
 * that failed with a transient error, and {@link PatientDataSource} waits for connections. After
 * that the bundle fails and the runner retries it (on Flink: the job restarts from its last
 * checkpoint and replays, which the upsert makes harmless).
 *
 * <p>Output: one {@code Void} per written batch, to wait on with {@code Wait.on}.
 */
public final class AuditTable extends PTransform<PCollection<Alert>, PCollection<Void>> {
  public static final String DEFAULT_TABLE = "E_EVENT_FLOW_STREAM";
  public static final long DEFAULT_BATCH_SIZE = 1000;
  public static final Duration DEFAULT_MAX_RETRY_DURATION = Duration.standardMinutes(5);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.standardSeconds(1);

  /** Counter, in namespace {@code stallwatch}, of values cut to fit their column. */
  public static final String TRUNCATED = "audit_values_truncated";

  private final JdbcSettings settings;
  private final String table;
  private final long batchSize;
  private final Duration maxRetryDuration;
  private final Duration initialBackoff;

  private AuditTable(
      JdbcSettings settings,
      String table,
      long batchSize,
      Duration maxRetryDuration,
      Duration initialBackoff) {
    this.settings = settings;
    this.table = SqlDialect.checkIdentifier(table);
    if (batchSize < 1) {
      throw new IllegalArgumentException("the audit batch size must be at least 1");
    }
    this.batchSize = batchSize;
    this.maxRetryDuration = maxRetryDuration;
    this.initialBackoff = initialBackoff;
  }

  /**
   * Refuses, as one line naming the key, a configuration under which this table would lose rows:
   * it keeps one row per {@code (EVENT_ID, MOBILE, EVENT_DATE)}, and the upsert overwrites a second
   * alert of the same key. So each route needs an event id of its own, and once-per-period must be
   * {@code day} or {@code lifetime}: a fixed period is counted from the epoch in UTC, so even
   * {@code P1D} can let a route alert one mobile twice on one local date. Every job that writes
   * the table calls this before it starts; the backfill, which writes none, does not.
   */
  public static void checkOneRowPerAlert(StallConfig config, String table) {
    String key = "the audit table " + table + " keeps one row per (EVENT_ID, MOBILE, EVENT_DATE)";
    Map<String, Route> byEventId = new HashMap<>();
    for (Route route : config.routes()) {
      Route other = byEventId.putIfAbsent(route.eventId(), route);
      if (other != null) {
        throw new IllegalArgumentException(
            "--config: routes " + other.name() + " and " + route.name() + " share eventId " + route.eventId()
                + ", but " + key);
      }
    }
    if (config.oncePer().isFixed()) {
      throw new IllegalArgumentException(
          "--config: oncePer: a fixed period (" + config.oncePer().describe() + ") can give a route two alerts for"
              + " one mobile on one local date, but " + key + "; use day or lifetime");
    }
  }


  /** Writes to {@value #DEFAULT_TABLE} of the database {@code settings} describe. */
  public static AuditTable of(JdbcSettings settings) {
    return new AuditTable(
        settings,
        DEFAULT_TABLE,
        DEFAULT_BATCH_SIZE,
        DEFAULT_MAX_RETRY_DURATION,
        DEFAULT_INITIAL_BACKOFF);
  }

  /** Another table name, optionally {@code schema.table}. */
  public AuditTable withTable(String name) {
    return new AuditTable(settings, name, batchSize, maxRetryDuration, initialBackoff);
  }

  /** At most this many alerts per statement batch and commit (default 1000). */
  public AuditTable withBatchSize(long size) {
    return new AuditTable(settings, table, size, maxRetryDuration, initialBackoff);
  }

  /** How long a batch waits in all for the database to come back before it fails. */
  public AuditTable withMaxRetryDuration(Duration duration) {
    return new AuditTable(settings, table, batchSize, duration, initialBackoff);
  }

  /** The first pause before a retry; later pauses grow (default 1 s). */
  public AuditTable withInitialBackoff(Duration duration) {
    return new AuditTable(settings, table, batchSize, maxRetryDuration, duration);
  }

  public String table() {
    return table;
  }

  /** The statement each alert is written with. */
  public String statement() {
    return settings.dialect().auditUpsert(table);
  }

  @Override
  public PCollection<Void> expand(PCollection<Alert> alerts) {
    return alerts.apply(
        "UpsertAuditRows",
        JdbcIO.<Alert>write()
            .withDataSourceProviderFn(
                PatientDataSource.provider(settings, initialBackoff, maxRetryDuration))
            .withStatement(statement())
            .withTable(table)
            .withPreparedStatementSetter(new AlertParameters())
            .withBatchSize(batchSize)
            .withRetryStrategy(new RetryTransient(settings.dialect()))
            // the number of attempts is bounded by the duration, not by a count
            .withRetryConfiguration(
                JdbcIO.RetryConfiguration.create(
                    Integer.MAX_VALUE, maxRetryDuration, initialBackoff))
            .withResults());
  }

  /** Binds an alert to the upsert's parameters, in {@link AuditColumn} order. */
  static final class AlertParameters implements JdbcIO.PreparedStatementSetter<Alert> {
    private static final long serialVersionUID = 1L;
    private static final Counter TRUNCATED_VALUES =
        Metrics.counter(StallMetrics.NAMESPACE, TRUNCATED);

    @Override
    public void setParameters(Alert alert, PreparedStatement statement) throws SQLException {
      int index = 1;
      for (AuditColumn column : AuditColumn.values()) {
        Object value = column.value(alert);
        if (column.isNumber()) {
          statement.setLong(index, (Long) value);
        } else {
          String text = fit((String) value, column.size);
          if (text.isEmpty()) {
            statement.setNull(index, Types.VARCHAR);
          } else {
            statement.setString(index, text);
          }
        }
        index++;
      }
    }

    /** {@code value} cut to at most {@code size} characters (code points), never split. */
    private static String fit(String value, int size) {
      if (value == null) {
        return "";
      }
      if (value.length() <= size || value.codePointCount(0, value.length()) <= size) {
        return value;
      }
      TRUNCATED_VALUES.inc();
      return value.substring(0, value.offsetByCodePoints(0, size));
    }
  }

  /** JdbcIO's retry strategy: retry the errors {@link TransientSqlErrors} calls transient. */
  static final class RetryTransient implements JdbcIO.RetryStrategy {
    private static final long serialVersionUID = 1L;

    private final SqlDialect dialect;

    RetryTransient(SqlDialect dialect) {
      this.dialect = dialect;
    }

    @Override
    public boolean apply(SQLException e) {
      return TransientSqlErrors.isTransient(e, dialect);
    }
  }
}
