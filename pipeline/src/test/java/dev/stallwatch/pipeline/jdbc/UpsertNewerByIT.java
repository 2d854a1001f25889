package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link UpsertTable#withNewerBy}: C3's and C5's rows are accumulating panes whose {@code
 * event_count} never goes down; a pane delivered to the sink after a later pane of its key (in
 * another bundle, by a restored job or a replay) must not leave its smaller count in the table. On
 * a real MariaDB, a real PostgreSQL and H2 in Oracle mode, with the shipped classroom DDL: the
 * later pane written first, then the earlier one in a bundle of its own, then an equal and a
 * larger count; a missing key is inserted whatever its count. Without the condition the same
 * sequence leaves the smaller count, which is what the condition is for.
 */
class UpsertNewerByIT {

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void anEarlierPaneInALaterBundleNeverLowersTheCount(TestDatabase database) throws Exception {
    JdbcSettings settings = database.settings();
    String suffix = "_newer_" + database.name().toLowerCase();
    ClassroomTables tables =
        ClassroomTables.defaults()
            .withSignalAnalysis("c3" + suffix)
            .withTakeTime("c4" + suffix)
            .withAvRecord("c5" + suffix);
    tables.createMissing(settings);

    UpsertTable c3 = tables.signalAnalysisSink(settings).withNewerBy("event_count");
    Instant start = new Instant(1710896400000L);
    Instant end = start.plus(60_000);
    // pane 1 (count 3) first; pane 0 (count 2) in a later bundle: the table keeps 3
    bundle(c3, signalRow(c3, start, end, "u1", 3, start.plus(50_000)), 1);
    bundle(c3, signalRow(c3, start, end, "u1", 2, start.plus(20_000)), 0);
    assertEquals("u1|3|" + text(start.plus(50_000)), signalRows(settings, c3).get("u1"));
    // an equal count is the same row; a larger one replaces it; a new key is inserted at any count
    bundle(c3, signalRow(c3, start, end, "u1", 3, start.plus(50_000)), 1);
    bundle(c3, signalRow(c3, start, end, "u2", 1, start.plus(1_000)), 0);
    assertEquals("u1|3|" + text(start.plus(50_000)), signalRows(settings, c3).get("u1"));
    bundle(c3, signalRow(c3, start, end, "u1", 4, start.plus(59_000)), 2);
    TreeMap<String, String> expected = new TreeMap<>();
    expected.put("u1", "u1|4|" + text(start.plus(59_000)));
    expected.put("u2", "u2|1|" + text(start.plus(1_000)));
    assertEquals(expected, signalRows(settings, c3));

    UpsertTable c5 = tables.avRecordSink(settings).withNewerBy("event_count");
    bundle(c5, avRow(c5, start, 50.0, 2), 1);
    bundle(c5, avRow(c5, start, 10.0, 1), 0);
    assertEquals(List.of("50.0|25.0|2"), avRows(settings, c5), "C5 keeps the later pane's sum, average and count");
    bundle(c5, avRow(c5, start, 90.0, 3), 2);
    assertEquals(List.of("90.0|30.0|3"), avRows(settings, c5));

    // the same sequence without the condition: the last write wins, the smaller count stays
    UpsertTable plain = tables.signalAnalysisSink(settings);
    bundle(plain, signalRow(plain, start, end, "u3", 3, start.plus(50_000)), 1);
    bundle(plain, signalRow(plain, start, end, "u3", 2, start.plus(20_000)), 0);
    assertEquals("u3|2|" + text(start.plus(20_000)), signalRows(settings, plain).get("u3"));
  }

  @Test
  void theColumnMustBeANonNullNumberOutsideTheKey() {
    ClassroomTables tables = ClassroomTables.defaults();
    JdbcSettings settings = JdbcTesting.h2();
    assertThrows(IllegalArgumentException.class, () -> tables.signalAnalysisSink(settings).withNewerBy("user_id"));
    assertThrows(IllegalArgumentException.class, () -> tables.signalAnalysisSink(settings).withNewerBy("role"));
    assertThrows(IllegalArgumentException.class, () -> tables.avRecordSink(settings).withNewerBy("event_sum"));
    assertThrows(IllegalArgumentException.class, () -> tables.avRecordSink(settings).withNewerBy("missing"));
  }

  /** One bundle of the sink's writer holding {@code row} of pane {@code index}. */
  private static void bundle(UpsertTable sink, Row row, long index) throws Exception {
    UpsertTable.WriteFn write = sink.writeFn();
    write.setup();
    write.startBundle();
    write.process(row, PaneInfo.createPane(index == 0, false, index == 0 ? PaneInfo.Timing.ON_TIME : PaneInfo.Timing.LATE, index, index));
    write.finishBundle();
  }

  private static Row signalRow(UpsertTable sink, Instant start, Instant end, String user, long count, Instant created) {
    return Row.withSchema(sink.schema()).addValues(start, end, "room", user, "2", "SHAPE_MOVE", count, created).build();
  }

  private static Row avRow(UpsertTable sink, Instant start, double sum, long count) {
    return Row.withSchema(sink.schema())
        .addValues(start, start.plus(30_000), "7", "9", "c1", "student", "-1", "EVENT_AUDIO_STATE", sum, sum / count, count, start.plus(30_000))
        .build();
  }

  private static String text(Instant t) {
    return java.time.format.DateTimeFormatter.ofPattern(UpsertTable.TIME_PATTERN)
        .withZone(java.time.ZoneId.of(UpsertTable.DEFAULT_ZONE))
        .format(java.time.Instant.ofEpochMilli(t.getMillis()));
  }

  private static TreeMap<String, String> signalRows(JdbcSettings settings, UpsertTable sink) throws Exception {
    TreeMap<String, String> rows = new TreeMap<>();
    try (Connection c = settings.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT user_id, event_count, create_time FROM " + sink.table())) {
      while (r.next()) {
        rows.put(r.getString(1), r.getString(1) + "|" + r.getLong(2) + "|" + r.getString(3));
      }
    }
    return rows;
  }

  private static List<String> avRows(JdbcSettings settings, UpsertTable sink) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = settings.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT event_sum, event_avg, event_count FROM " + sink.table())) {
      while (r.next()) {
        rows.add(r.getDouble(1) + "|" + r.getDouble(2) + "|" + r.getLong(3));
      }
    }
    return rows;
  }
}
