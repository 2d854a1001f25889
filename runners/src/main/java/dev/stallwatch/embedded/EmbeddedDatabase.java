package dev.stallwatch.embedded;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.TableScripts;
import dev.stallwatch.pipeline.stall.StreamingJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The embedded default's database: an H2 file in Oracle mode, its tables created and seeded. */
final class EmbeddedDatabase {
  private final JdbcSettings jdbc;
  private final IoNames names;

  private EmbeddedDatabase(JdbcSettings jdbc, IoNames names) {
    this.jdbc = jdbc;
    this.names = names;
  }

  /**
   * The URL of an embedded H2 database in Oracle mode at {@code file}, on H2's {@code async:} file
   * system: its channel is not closed when a thread that uses it is interrupted (Flink interrupts
   * a task's threads when it cancels or restarts the task, and a plain file channel closed so
   * leaves the database unreadable for every other connection).
   */
  static String h2Url(Path file) {
    return "jdbc:h2:async:" + file + ";MODE=Oracle";
  }

  /**
   * Creates the tables in a database under {@code dir} and fills the dimension tables: the
   * blacklist's id_nos split between the blacklist and the existing-customer table (both
   * exclude), its mobiles in the blacklist, and the channel names.
   */
  static EmbeddedDatabase create(Path dir, IoNames names, Blacklist blacklist, ChannelNames channels) throws SQLException {
    JdbcSettings jdbc =
        JdbcSettings.builder(h2Url(dir.resolve("stallwatch")))
            .user("stallwatch")
            .passwordEnv("STALLWATCH_EMBEDDED_H2_PASSWORD")
            .build();
    TableScripts.createMissing(jdbc, names.auditTable(), StreamingJob.tables(names));
    try (Connection c = jdbc.connect()) {
      c.setAutoCommit(false);
      int i = 0;
      try (PreparedStatement black =
              c.prepareStatement("INSERT INTO " + names.blacklistTable() + " (ID_NO, MOBILE_TEL) VALUES (?, ?)");
          PreparedStatement customer =
              c.prepareStatement("INSERT INTO " + names.existingCustomerTable() + " (ID_NO) VALUES (?)");
          PreparedStatement channel =
              c.prepareStatement("INSERT INTO " + names.channelTable() + " (CHANNEL_CODE, CHANNEL_NAME) VALUES (?, ?)")) {
        for (String id : blacklist.idNos()) {
          if (i++ % 2 == 0) {
            black.setString(1, id);
            black.setString(2, null);
            black.addBatch();
          } else {
            customer.setString(1, id);
            customer.addBatch();
          }
        }
        for (String mobile : blacklist.mobiles()) {
          black.setString(1, null);
          black.setString(2, mobile);
          black.addBatch();
        }
        for (Map.Entry<String, String> e : channels.asMap().entrySet()) {
          channel.setString(1, e.getKey());
          channel.setString(2, e.getValue());
          channel.addBatch();
        }
        black.executeBatch();
        customer.executeBatch();
        channel.executeBatch();
      }
      c.commit();
    }
    return new EmbeddedDatabase(jdbc, names);
  }

  JdbcSettings settings() {
    return jdbc;
  }

  /** The audit table's rows as {@code EVENT_ID|MOBILE|EVENT_DATE|EVENT_TIME|ROUTE}. */
  List<String> auditRows() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT EVENT_ID, MOBILE, EVENT_DATE, EVENT_TIME, ROUTE FROM " + names.auditTable())) {
      while (r.next()) {
        rows.add(String.join("|", r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)));
      }
    }
    return rows;
  }
}
