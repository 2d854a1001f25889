package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.reference.ReferenceModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Shared pieces of the JDBC tests: databases to run against, realistic alerts, waiting. */
final class JdbcTesting {
  private JdbcTesting() {}

  /** A fresh, private H2 database in Oracle mode, alive until the JVM exits. */
  static JdbcSettings h2() {
    return JdbcSettings.builder(
            "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=Oracle;DB_CLOSE_DELAY=-1")
        .passwordEnv(null)
        .build();
  }

  /** The client name of a crafted alert, longer than the audit table's CLIENT_NAME. */
  static final String LONG_NAME = "长".repeat(150);

  /**
   * Alerts as the pipeline makes them: the reference model's alerts of generated journeys with
   * channel names, plus crafted ones with a fund account, a name outside the BMP and a name too
   * long for its column.
   */
  static List<Alert> alerts() {
    List<RawRow> rows = new ArrayList<>();
    Random random = new Random(11);
    for (Map<String, String> row :
        JourneyGenerator.builder().seed(11).applicants(40).build().rows()) {
      rows.add(RawRow.json("test", JourneyGenerator.toJson(row, random)));
    }
    rows.add(
        RawRow.json(
            "test",
            "{\"mobile_tel\":\"13911112222\",\"user_id\":\"u-fund\",\"request_no\":\"r-fund\","
                + "\"request_status\":\"0\",\"business_flag_last\":\"22109\","
                + "\"last_update_datetime\":\"2024-03-20 10:00:00\",\"fund_account\":\"311000001\","
                + "\"client_name\":\"张\uD840\uDC00三\",\"channel_code\":\"14781\","
                + "\"branch_no\":\"403\"}"));
    rows.add(
        RawRow.json(
            "test",
            "{\"mobile_tel\":\"13911113333\",\"request_status\":\"0\","
                + "\"business_flag_last\":\"12100\","
                + "\"last_update_datetime\":\"2024-03-20 11:00:00\",\"client_name\":\""
                + LONG_NAME
                + "\"}"));
    List<Alert> alerts =
        ReferenceModel.of(StallConfig.defaults())
            .withChannels(ChannelNames.of(Map.of("14781", "同花顺", "10001", "抖音")))
            .run(rows)
            .alerts;
    assertTrue(alerts.size() > 40, "too few alerts to test with: " + alerts.size());
    return alerts;
  }

  /** Runs each statement with its parameters, in one transaction. */
  static void execute(JdbcSettings settings, String sql, Object[]... rows) throws SQLException {
    try (Connection c = settings.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      c.setAutoCommit(false);
      if (rows.length == 0) {
        s.execute();
      }
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          s.setObject(i + 1, row[i]);
        }
        s.execute();
      }
      c.commit();
    }
  }

  /** Waits until {@code condition} holds, polling; fails after {@code seconds}. */
  static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
