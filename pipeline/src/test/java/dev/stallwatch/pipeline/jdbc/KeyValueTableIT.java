package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * C2's level dictionary ({@link JdbcKeyValueTable#levelDictionary}) written through pipelines on
 * the direct runner, on a real MariaDB, a real PostgreSQL and H2 in Oracle mode, with the shipped
 * DDL: the newer {@code update_time} wins, an older update written after a newer one (in a later
 * job, or later in the same bundle) does not overwrite it, the same rows written again leave the
 * table exactly as it was, and {@link KeyValueTable#readAll}, {@link KeyValueTable#get} and {@link
 * LevelLookup#levels} give the stored rows.
 */
class KeyValueTableIT {

  /** 2024-03-20 10:00:00.000 in Asia/Shanghai (02:00 UTC), and later times from it. */
  private static final long T10 = 1710900000000L;

  private static final long HOUR = 3_600_000L;

  /** The row keys: MD5 of "1", "2", "3". */
  private static final String K1 = "c4ca4238a0b923820dcc509a6f75849b";

  private static final String K2 = "c81e728d9d4c2f636f067f89cc14862c";
  private static final String K3 = "eccbc87e4b5ce2fe28308fd9f2a7baf3";

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theNewerUpdateTimeWinsAndARewriteChangesNothing(TestDatabase database) throws Exception {
    JdbcSettings settings = database.settings();
    JdbcKeyValueTable table =
        JdbcKeyValueTable.levelDictionary(settings, "dict_" + database.name().toLowerCase());
    assertTrue(table.createMissing(), "the table is created");
    assertFalse(table.createMissing(), "an existing table is left alone");

    // first job: three channels
    write(table, List.of(
        dict(K1, "1", "抖音", "douyin", "A", "0", T10, T10),
        dict(K2, "2", "同花顺", "ths", "B", "0", null, T10),
        dict(K3, "3", "", null, null, null, T10, T10)));
    assertEquals(
        List.of(
            K1 + "|1|抖音|douyin|A|0|2024-03-20 10:00:00.000|2024-03-20 10:00:00.000|d1|1710900000000",
            K2 + "|2|同花顺|ths|B|0|null|2024-03-20 10:00:00.000|d1|1710900000000",
            K3 + "|3|" + (database == TestDatabase.H2 ? "null" : "")
                + "|null|null|null|2024-03-20 10:00:00.000|2024-03-20 10:00:00.000|d1|1710900000000"),
        stored(settings, table));

    // second job: K1 newer (level A -> C), K2 at the same update_time with another level (equal
    // versions: the written row replaces the stored one)
    write(table, List.of(
        dict(K1, "1", "抖音", "douyin", "C", "0", T10, T10 + 2 * HOUR),
        dict(K2, "2", "同花顺", "ths", "D", "0", null, T10)));
    // third job, all in one bundle: an older update of K1 (11:00 < 12:00) arrives after the newer
    // one, and K3's newer update comes before an older one
    writeInOneBundle(table, List.of(
        dict(K1, "1", "抖音", "douyin", "B", "0", T10, T10 + HOUR),
        dict(K3, "3", "x", null, "A", null, T10, T10 + 3 * HOUR),
        dict(K3, "3", "y", null, "B", null, T10, T10 + HOUR)));

    List<String> expected =
        List.of(
            K1 + "|1|抖音|douyin|C|0|2024-03-20 10:00:00.000|2024-03-20 12:00:00.000|d1|1710907200000",
            K2 + "|2|同花顺|ths|D|0|null|2024-03-20 10:00:00.000|d1|1710900000000",
            K3 + "|3|x|null|A|null|2024-03-20 10:00:00.000|2024-03-20 13:00:00.000|d1|1710910800000");
    assertEquals(expected, stored(settings, table));

    // the same rows again, twice in one input: exactly the same table
    List<Row> same =
        List.of(
            dict(K1, "1", "抖音", "douyin", "C", "0", T10, T10 + 2 * HOUR),
            dict(K2, "2", "同花顺", "ths", "D", "0", null, T10),
            dict(K3, "3", "x", null, "A", null, T10, T10 + 3 * HOUR));
    List<Row> twice = new ArrayList<>(same);
    twice.addAll(same);
    write(table, twice);
    assertEquals(expected, stored(settings, table));

    Map<String, Row> all = new LinkedHashMap<>();
    all.put(K1, same.get(0));
    all.put(K2, same.get(1));
    all.put(K3, same.get(2));
    assertEquals(all, table.readAll());
    assertEquals(same.get(0), table.get(K1));
    assertEquals(
        new Instant(T10 + 3 * HOUR), table.get(K3).getDateTime("update_time").toInstant());
    assertNull(table.get("d41d8cd98f00b204e9800998ecf8427e"));
    assertEquals(Map.of(K1, "C", K2, "D", K3, "A"), LevelLookup.levels(table));
  }

  /**
   * C6's and C7's count tables from the shipped DDL ({@link OperationsTables}): a count of a lower
   * revision written after a higher one (a retried bundle, a restore) leaves the higher; a count
   * that went down to 0 is stored as 0; the same rows written twice leave the same table.
   */
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theCountTablesKeepTheHighestRevision(TestDatabase database) throws Exception {
    JdbcSettings settings = database.settings();
    String suffix = "_" + database.name().toLowerCase();
    OperationsTables tables =
        OperationsTables.defaults()
            .withLevels("dict_counts" + suffix)
            .withRegistrations("leads" + suffix)
            .withStaffIndex("staff" + suffix);
    assertEquals(List.of("dict_counts" + suffix, "leads" + suffix, "staff" + suffix), tables.createMissing(settings));
    assertEquals(List.of(), tables.createMissing(settings));
    Instant at = new Instant(T10);
    List<Row> staffFirst =
        List.of(
            OperationsTables.staffRow(new GroupCount("cc1|2024-03-20", 2, 2), at),
            OperationsTables.staffRow(new GroupCount("cc2|2024-03-20", 0, 2), at.plus(1000)));
    List<Row> staffLater =
        List.of(
            OperationsTables.staffRow(new GroupCount("cc1|2024-03-20", 1, 1), at),
            OperationsTables.staffRow(new GroupCount("cc2|2024-03-20", 1, 1), at),
            OperationsTables.staffRow(new GroupCount("cc1|2024-03-21", 1, 1), at));
    List<Row> leadsFirst =
        List.of(
            OperationsTables.registrationRow(new GroupCount("2024032009_A", 3, 5)),
            OperationsTables.registrationRow(new GroupCount("2024032009_other", 0, 2)));
    List<Row> leadsLater = List.of(OperationsTables.registrationRow(new GroupCount("2024032009_A", 4, 4)));
    for (int pass = 0; pass < 2; pass++) {
      writeRows(tables.staffSink(settings), OperationsTables.STAFF_INDEX, staffFirst);
      writeRows(tables.staffSink(settings), OperationsTables.STAFF_INDEX, staffLater);
      writeRows(tables.registrationSink(settings), OperationsTables.REGISTRATIONS, leadsFirst);
      writeRows(tables.registrationSink(settings), OperationsTables.REGISTRATIONS, leadsLater);
      assertEquals(
          List.of("cc1|1|2024-03-20|2|2", "cc1|1|2024-03-21|1|1", "cc2|1|2024-03-20|0|2"),
          rows(settings, "SELECT cc_id, type, attribution_time, cc_index, revision FROM staff" + suffix
              + " ORDER BY cc_id, attribution_time"), "pass " + pass);
      assertEquals(
          List.of("2024032009_A|2024032009|A|3|5", "2024032009_other|2024032009|other|0|2"),
          rows(settings, "SELECT uk, reg_date, level, leads, revision FROM leads" + suffix + " ORDER BY uk"),
          "pass " + pass);
    }
  }

  /** The rows of {@code sql}, each as its columns' text joined by {@code |}. */
  private static List<String> rows(JdbcSettings settings, String sql) throws java.sql.SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = settings.connect();
        Statement st = c.createStatement();
        ResultSet r = st.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          cells.add(r.getString(i));
        }
        out.add(String.join("|", cells));
      }
    }
    return out;
  }

  private static void writeRows(UpsertTable sink, org.apache.beam.sdk.schemas.Schema schema, List<Row> rows) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply(Create.of(rows).withRowSchema(schema)).apply(sink);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theLevelDictionaryIsNotOfferedOnOracleAndTheRowKeyIsTheMd5OfTheId() {
    JdbcSettings oracle = JdbcSettings.builder("jdbc:oracle:thin:@//db:1521/svc").passwordEnv(null).build();
    assertThrows(IllegalArgumentException.class, () -> JdbcKeyValueTable.levelDictionary(oracle, "d"));
    assertEquals(K1, LevelEntry.rowkeyOf("1"));
    assertEquals("d41d8cd98f00b204e9800998ecf8427e", LevelEntry.rowkeyOf(""));
    assertThrows(
        IllegalArgumentException.class,
        () -> JdbcKeyValueTable.of(JdbcTesting.h2(), "t", JdbcKeyValueTable.LEVEL_DICTIONARY, "rowkey", "create_time"),
        "a nullable version");
    assertThrows(
        IllegalArgumentException.class,
        () -> JdbcKeyValueTable.of(JdbcTesting.h2(), "t", JdbcKeyValueTable.LEVEL_DICTIONARY, "rowkey", "level"),
        "a text version");
  }

  private static Row dict(
      String rowkey, String id, String chinese, String english, String level, String pid, Long created, long updated) {
    return Row.withSchema(JdbcKeyValueTable.LEVEL_DICTIONARY)
        .addValues(
            rowkey, id, chinese, english, level, pid,
            created == null ? null : new Instant(created), new Instant(updated), "d1")
        .build();
  }

  /** One batch job writing {@code rows} through the table's writer. */
  private static void write(KeyValueTable table, List<Row> rows) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply(Create.of(rows).withRowSchema(table.schema())).apply(table.writer());
    pipeline.run().waitUntilFinish();
  }

  /**
   * One batch job writing {@code rows} in one bundle, in this order: one element whose DoFn emits
   * them all, so the writer's bundle holds them together.
   */
  private static void writeInOneBundle(KeyValueTable table, List<Row> rows) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply(Create.of("rows"))
        .apply(ParDo.of(new EmitFn(new ArrayList<>(rows))))
        .setRowSchema(table.schema())
        .apply(table.writer());
    pipeline.run().waitUntilFinish();
  }

  /** Emits its rows, in order, for each element. */
  private static final class EmitFn extends DoFn<String, Row> {
    private final ArrayList<Row> rows;

    EmitFn(ArrayList<Row> rows) {
      this.rows = rows;
    }

    @ProcessElement
    public void process(OutputReceiver<Row> out) {
      rows.forEach(out::output);
    }
  }

  /** Every stored row, every column as text, by row key. */
  private static List<String> stored(JdbcSettings settings, JdbcKeyValueTable table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = settings.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT rowkey, id, chinese_name, english_name, level, pid, create_time, update_time,"
                    + " dept_id, update_time_ms FROM " + table.name() + " ORDER BY rowkey")) {
      while (r.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
          cells.add(String.valueOf(r.getString(i)));
        }
        rows.add(String.join("|", cells));
      }
    }
    return rows;
  }
}
