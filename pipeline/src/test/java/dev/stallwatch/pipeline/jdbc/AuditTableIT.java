package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Alert;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link AuditTable} on the direct runner against H2 in Oracle mode, a real PostgreSQL server and
 * (for the replay and the update) a real MariaDB server:
 * each alert becomes one row holding exactly its fields; writing the same alerts again adds and
 * changes nothing; and a database that is down while the job writes is waited for.
 */
class AuditTableIT {
  private static PostgresServer postgres;
  private static MariaDbServer mariadb;
  private static List<Alert> alerts;

  enum Database {
    H2,
    POSTGRES,
    MARIADB
  }

  @BeforeAll
  static void start() throws IOException {
    postgres = PostgresServer.start();
    mariadb = MariaDbServer.start();
    alerts = JdbcTesting.alerts();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (postgres != null) {
        postgres.close();
      }
    } finally {
      if (mariadb != null) {
        mariadb.close();
      }
    }
  }

  private static JdbcSettings settings(Database database) {
    switch (database) {
      case POSTGRES:
        return postgres.settings();
      case MARIADB:
        return mariadb.settings();
      case H2:
      default:
        return JdbcTesting.h2();
    }
  }

  @ParameterizedTest
  @EnumSource(Database.class)
  void everyAlertIsOneRowAndAReplayChangesNothing(Database database) throws Exception {
    JdbcSettings settings = settings(database);
    String table = "AUDIT_REPLAY";
    TableScripts.createMissing(settings, table, DimensionTables.defaults());

    write(settings, table, alerts);
    Map<String, Map<String, Object>> rows = rows(settings, table);
    assertEquals(expectedRows(alerts), rows);

    List<Alert> replay = new ArrayList<>(alerts);
    Collections.shuffle(replay, new Random(3));
    write(settings, table, replay);
    assertEquals(rows, rows(settings, table));
  }

  @ParameterizedTest
  @EnumSource(Database.class)
  void anAlertWrittenAgainWithOtherFieldsUpdatesItsRow(Database database) throws Exception {
    JdbcSettings settings = settings(database);
    String table = "AUDIT_UPDATE";
    TableScripts.createMissing(settings, table, DimensionTables.defaults());
    write(settings, table, alerts);

    List<Alert> renamed = new ArrayList<>();
    for (Alert a : alerts) {
      renamed.add(a.withChannelName("renamed " + a.channelName()));
    }
    write(settings, table, renamed);
    assertEquals(expectedRows(renamed), rows(settings, table));
  }

  @Test
  void aDatabaseThatIsDownIsWaitedFor() throws Exception {
    JdbcSettings settings = postgres.settings();
    String table = "AUDIT_OUTAGE";
    TableScripts.createMissing(settings, table, DimensionTables.defaults());

    postgres.stop();
    CompletableFuture<Void> job;
    // while the server is away, its port drops every connection: so we see the job try, retry
    try (ServerSocket port = new ServerSocket()) {
      port.setReuseAddress(true);
      port.bind(new InetSocketAddress("127.0.0.1", postgres.port()));
      AtomicInteger attempts = new AtomicInteger();
      Thread dropper =
          new Thread(
              () -> {
                while (!port.isClosed()) {
                  try {
                    port.accept().close();
                    attempts.incrementAndGet();
                  } catch (IOException e) {
                    // the port was closed: the server is coming back
                  }
                }
              });
      dropper.start();
      job = CompletableFuture.runAsync(() -> write(settings, table, alerts, Duration.millis(100)));
      JdbcTesting.await("the job to try to connect twice", 60, () -> attempts.get() >= 2);
      assertFalse(job.isDone());
    } finally {
      postgres.resume();
    }
    job.get(60, TimeUnit.SECONDS);
    assertEquals(expectedRows(alerts), rows(settings, table));
  }

  @Test
  void aConnectionTheServerDropsMidBatchIsReplacedAndTheBatchReplayed() throws Exception {
    JdbcSettings settings = postgres.settings();
    String table = "AUDIT_DROPPED";
    TableScripts.createMissing(settings, table, DimensionTables.defaults());
    String upsert = SqlDialect.POSTGRES.auditUpsert(table);
    AuditTable.AlertParameters parameters = new AuditTable.AlertParameters();
    AuditTable.RetryTransient retry = new AuditTable.RetryTransient(SqlDialect.POSTGRES);
    DataSource source =
        PatientDataSource.provider(settings, Duration.millis(50), Duration.standardSeconds(30))
            .apply(null);

    // what JdbcIO's write does with its connection, with the server ending the session mid-batch
    try (Connection c = source.getConnection()) {
      c.setAutoCommit(false);
      int before = backendPid(c);
      try (PreparedStatement s = c.prepareStatement(upsert)) {
        parameters.setParameters(alerts.get(0), s);
        s.addBatch();
        terminate(before);
        SQLException lost = assertThrows(SQLException.class, s::executeBatch);
        assertTrue(retry.apply(lost), "not taken as transient: " + lost);
        s.clearBatch();
        c.rollback();
      }
      try (PreparedStatement s = c.prepareStatement(upsert)) {
        parameters.setParameters(alerts.get(0), s);
        s.addBatch();
        s.executeBatch();
        c.commit();
      }
      assertNotEquals(before, backendPid(c));
    }
    assertEquals(expectedRows(alerts.subList(0, 1)), rows(settings, table));
  }

  @Test
  void aPermanentErrorFailsAtOnceInsteadOfBeingWaitedOut() throws Exception {
    JdbcSettings settings = JdbcTesting.h2();
    String table = "AUDIT_REFUSING";
    TableScripts.createMissing(settings, table, DimensionTables.defaults());
    JdbcTesting.execute(
        settings, "ALTER TABLE " + table + " ADD CONSTRAINT NO_ROWS CHECK (GAP_MINUTES < 0)");

    long start = System.nanoTime();
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> write(settings, table, alerts));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(
        String.valueOf(rootCause(e).getMessage()).toUpperCase(Locale.ROOT).contains("NO_ROWS"),
        e.toString());
    // retrying would have taken the whole 60 s budget
    assertTrue(seconds < 30, "took " + seconds + " s");
    assertFalse(
        new AuditTable.RetryTransient(SqlDialect.POSTGRES)
            .apply(new SQLException("value too long for type character varying(8)", "22001")));
  }

  private static void write(JdbcSettings settings, String table, List<Alert> alerts) {
    write(settings, table, alerts, AuditTable.DEFAULT_INITIAL_BACKOFF);
  }

  private static void write(
      JdbcSettings settings, String table, List<Alert> alerts, Duration initialBackoff) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply("Alerts", Create.of(alerts).withCoder(Alert.AlertCoder.of()))
        .apply(
            "Audit",
            AuditTable.of(settings)
                .withTable(table)
                .withBatchSize(7)
                .withInitialBackoff(initialBackoff)
                .withMaxRetryDuration(Duration.standardSeconds(60)));
    pipeline.run().waitUntilFinish();
  }

  /**
   * What SPEC §5 says each alert's row holds, written out column by column (not derived from the
   * code under test). Empty values are NULL, and a name longer than CLIENT_NAME's 100 characters
   * is cut to them.
   */
  private static Map<String, Map<String, Object>> expectedRows(List<Alert> alerts) {
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    for (Alert a : alerts) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("EVENT_ID", text(a.eventId()));
      row.put("EVENT_NAME", text(a.eventName()));
      row.put("FUND_ACC_NO", text(a.fundAccount()));
      row.put("MOBILE", text(a.mobile()));
      row.put("EVENT_DATE", text(a.occurDate()));
      row.put("EVENT_TIME", text(a.occurTime()));
      row.put("ROUTE", text(a.route()));
      row.put("USER_ID", text(a.userId()));
      row.put(
          "CLIENT_NAME",
          text(a.clientName().equals(JdbcTesting.LONG_NAME) ? "长".repeat(100) : a.clientName()));
      row.put("REQUEST_NO", text(a.requestNo()));
      row.put("CHANNEL_CODE", text(a.channelCode()));
      row.put("CHANNEL_NAME", text(a.channelName()));
      row.put("BRANCH_NO", text(a.branchNo()));
      row.put("BUSINESS_FLAG_LAST", text(a.businessFlag()));
      row.put("STEP_CODE", text(a.stepCode()));
      row.put("STEP_NAME", text(a.stepName()));
      row.put("RULE_NAME", text(a.rule()));
      row.put("GAP_MINUTES", a.gapMinutes());
      row.put("LAST_ACTIVITY", text(a.lastActivity()));
      Object previous = rows.put(a.eventId() + "|" + a.mobile() + "|" + a.occurDate(), row);
      assertNull(previous, "two test alerts share a key: " + a);
    }
    return rows;
  }

  private static String text(String value) {
    return value.isEmpty() ? null : value;
  }

  /** Every row of {@code table} by its key, column names in upper case. */
  private static Map<String, Map<String, Object>> rows(JdbcSettings settings, String table)
      throws SQLException {
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    try (Connection c = settings.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          String column = meta.getColumnName(i).toUpperCase(Locale.ROOT);
          row.put(column, column.equals("GAP_MINUTES") ? (Object) r.getLong(i) : r.getString(i));
        }
        rows.put(row.get("EVENT_ID") + "|" + row.get("MOBILE") + "|" + row.get("EVENT_DATE"), row);
      }
    }
    return rows;
  }

  private static int backendPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static void terminate(int pid) throws SQLException {
    try (Connection admin = postgres.connect();
        Statement s = admin.createStatement()) {
      s.execute("SELECT pg_terminate_backend(" + pid + ")");
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
