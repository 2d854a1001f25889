package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link UpsertTable} and {@link ClassroomTables} on the direct runner against a real MariaDB, a
 * real PostgreSQL and H2 in Oracle mode: the classroom tables are created from the shipped DDL;
 * rows written twice (a replay), with copies of some rows in the same batch, and then updates of
 * some keys and new keys, leave exactly the rows the test computes itself: one per key, the last
 * written. Within a bundle, the row of the later pane wins, whatever the order of arrival.
 */
class UpsertTableIT {
  private static final String ZONE = "Asia/Shanghai";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.of(ZONE));
  /** 2024-03-20 09:00:00 in Shanghai. */
  private static final long BASE = 1710896400000L;


  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aReplayAddsNothingAndTheLastWriteOfAKeyWins(TestDatabase database) throws Exception {
    JdbcSettings settings = database.settings();
    ClassroomTables tables =
        ClassroomTables.defaults()
            .withSignalAnalysis("c3_" + database.name().toLowerCase())
            .withTakeTime("c4_" + database.name().toLowerCase())
            .withAvRecord("c5_" + database.name().toLowerCase());
    assertEquals(
        List.of(tables.signalAnalysis(), tables.takeTime(), tables.avRecord()),
        tables.createMissing(settings));
    assertEquals(List.of(), tables.createMissing(settings), "existing tables are left alone");

    List<UpsertTable> sinks =
        List.of(
            tables.signalAnalysisSink(settings),
            tables.takeTimeSink(settings),
            tables.avRecordSink(settings));
    for (UpsertTable s : sinks) {
      UpsertTable sink = s.withBatchSize(37).withZone(ZONE);
      Random random = new Random(sink.table().hashCode());
      List<Row> first = rows(sink.schema(), 0, 150, random, 0);
      // copies of some rows in the same input: the same key twice in one batch must not fail
      List<Row> withCopies = new ArrayList<>(first);
      withCopies.addAll(first.subList(0, 40));
      Collections.shuffle(withCopies, random);

      TreeMap<String, String> expected = new TreeMap<>();
      expect(expected, sink, first);

      write(sink, withCopies);
      assertEquals(expected, read(settings, sink), sink.table() + " after the first write");

      write(sink, withCopies); // a replay
      assertEquals(expected, read(settings, sink), sink.table() + " after a replay");

      // updates of keys 100..149 (new values) and new keys 150..199
      List<Row> updates = rows(sink.schema(), 100, 200, random, 1);
      expect(expected, sink, updates);
      write(sink, updates);
      assertEquals(200, expected.size());
      assertEquals(expected, read(settings, sink), sink.table() + " after updates");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void inABundleTheLaterPaneOfAKeyWinsWhateverTheOrderOfArrival(TestDatabase database)
      throws Exception {
    JdbcSettings settings = database.settings();
    String table = "panes_" + database.name().toLowerCase();
    Schema schema =
        Schema.builder()
            .addStringField("k")
            .addDateTimeField("t")
            .addInt64Field("n")
            .addNullableField("d", Schema.FieldType.DOUBLE)
            .build();
    String text = database == TestDatabase.MARIADB ? "varchar(16) COLLATE utf8mb4_bin" : "varchar(16)";
    String number = database == TestDatabase.H2 ? "NUMBER(19)" : "bigint";
    String real = database == TestDatabase.H2 ? "BINARY_DOUBLE" : "double precision";
    JdbcTesting.execute(
        settings,
        "CREATE TABLE " + table + " (k " + text + " NOT NULL, t varchar(23) NOT NULL, n " + number
            + " NOT NULL, d " + real + ", PRIMARY KEY (k, t))");
    UpsertTable sink =
        UpsertTable.of(settings, table, schema, List.of("k", "t")).withBatchSize(2);
    UpsertTable.WriteFn write = sink.writeFn();
    write.setup();
    write.startBundle();
    Instant t = new Instant(BASE);
    // key a: pane 2 arrives first, then panes 0 and 1 (after the batch of 2 was written)
    write.process(row(schema, "a", t, 2, 2.5), pane(2));
    write.process(row(schema, "A", t, 7, Double.NaN), pane(0)); // another key: binary collation
    write.process(row(schema, "a", t, 0, 0.5), pane(0));
    write.process(row(schema, "a", t, 1, 1.5), pane(1));
    // key b: two rows of pane 0, the later arrival wins; then pane 1
    write.process(row(schema, "b", t, 10, 1.0), pane(0));
    write.process(row(schema, "b", t, 11, 1.0), pane(0));
    write.process(row(schema, "c", t, 20, 1.0), pane(0));
    write.process(row(schema, "b", t, 12, 3.25), pane(1));
    write.finishBundle();
    String at = TIME.format(java.time.Instant.ofEpochMilli(BASE));
    TreeMap<String, String> expected = new TreeMap<>();
    expected.put("A|" + at, "A|" + at + "|7|null");
    expected.put("a|" + at, "a|" + at + "|2|2.5");
    expected.put("b|" + at, "b|" + at + "|12|3.25");
    expected.put("c|" + at, "c|" + at + "|20|1.0");
    assertEquals(expected, read(settings, sink));
  }

  private static PaneInfo pane(long index) {
    return PaneInfo.createPane(index == 0, false, PaneInfo.Timing.EARLY, index, -1);
  }

  private static Row row(Schema schema, String k, Instant t, long n, double d) {
    return Row.withSchema(schema).addValues(k, t, n, d).build();
  }

  private static void write(UpsertTable sink, List<Row> rows) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply(Create.of(rows).withRowSchema(sink.schema())).apply(sink);
    pipeline.run().waitUntilFinish();
  }

  /**
   * Rows number {@code from} to {@code to} (exclusive) of a table: key columns from the number
   * alone, so the same number is the same key in every call; the other columns from {@code
   * random} and {@code version}, so an update changes them.
   */
  private static List<Row> rows(Schema schema, int from, int to, Random random, int version) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Row.Builder b = Row.withSchema(schema);
      for (Schema.Field f : schema.getFields()) {
        b.addValue(value(f, i, random, version));
      }
      rows.add(b.build());
    }
    return rows;
  }

  private static Object value(Schema.Field f, int i, Random random, int version) {
    switch (f.getName()) {
      case "start_time":
        return new Instant(BASE + (i % 7) * 60_000L);
      case "end_time":
        return new Instant(BASE + (i % 7) * 60_000L + 60_000L);
      case "success_time":
        return new Instant(BASE + i * 1_234L); // milliseconds tell keys apart
      case "create_time":
        return version == 0 && i % 5 == 0 ? null : new Instant(BASE + 3_600_000L + version);
      case "event_time":
        return new Instant(BASE - i);
      case "user_id":
        return (i % 3 == 0 ? "U" : "u") + (i / 7) + (i % 11 == 0 ? "·张三" : "");
      case "webserver_id":
      case "web_server_id":
        return "room-" + (i % 4);
      case "classroom_id":
        return "class-" + (i % 2);
      case "role":
        return String.valueOf(1 + i % 2);
      case "user_type":
        return i % 13 == 0 ? "Student" : "student";
      case "event":
        return i % 2 == 0 ? "SHAPE_MOVE" : "EVENT_AUDIO_STATE";
      case "extra_uid":
        return String.valueOf(i % 3 - 1);
      case "event_count":
        return (long) (1 + random.nextInt(100)) + 1000L * version;
      case "spend_time":
        return (long) random.nextInt(1_000_000) + version;
      case "event_sum":
        return (double) random.nextInt(500) + version;
      case "event_avg":
        return i % 17 == 0 ? Double.NaN : random.nextInt(1000) / 8.0 + version;
      default:
        throw new AssertionError("no test value for " + f.getName());
    }
  }

  /** What the table must hold for {@code rows}, by key, each row as text: the last row wins. */
  private static void expect(TreeMap<String, String> expected, UpsertTable sink, List<Row> rows) {
    for (Row row : rows) {
      List<String> key = new ArrayList<>();
      List<String> all = new ArrayList<>();
      for (Schema.Field f : sink.schema().getFields()) {
        Object v = row.getValue(f.getName());
        String text;
        if (v == null || (v instanceof Double && ((Double) v).isNaN())) {
          text = "null";
        } else if (v instanceof Instant) {
          text = TIME.format(java.time.Instant.ofEpochMilli(((Instant) v).getMillis()));
        } else {
          text = v.toString();
        }
        all.add(text);
        if (sink.key().contains(f.getName())) {
          key.add(text);
        }
      }
      expected.put(String.join("|", key), String.join("|", all));
    }
  }

  /** The table's rows as text by key, read with plain JDBC. */
  private static TreeMap<String, String> read(JdbcSettings settings, UpsertTable sink)
      throws SQLException {
    TreeMap<String, String> rows = new TreeMap<>();
    Schema schema = sink.schema();
    try (Connection c = settings.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT " + String.join(", ", schema.getFieldNames()) + " FROM " + sink.table())) {
      while (r.next()) {
        List<String> key = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
          Schema.Field f = schema.getField(i);
          String text;
          switch (f.getType().getTypeName()) {
            case INT64:
              long n = r.getLong(i + 1);
              text = r.wasNull() ? "null" : Long.toString(n);
              break;
            case DOUBLE:
              double d = r.getDouble(i + 1);
              text = r.wasNull() ? "null" : Double.toString(d);
              break;
            default:
              String t = r.getString(i + 1);
              text = t == null ? "null" : t;
          }
          all.add(text);
          if (sink.key().contains(f.getName())) {
            key.add(text);
          }
        }
        String previous = rows.put(String.join("|", key), String.join("|", all));
        assertEquals(null, previous, "two rows with the key " + key + " in " + sink.table());
      }
    }
    return rows;
  }
}
