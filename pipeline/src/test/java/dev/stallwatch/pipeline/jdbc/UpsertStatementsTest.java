package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;

/**
 * The MariaDB dialect, the general upsert of each dialect, and the checks of {@link UpsertTable}
 * and {@link ClassroomTables} (UpsertTableIT runs them on real databases).
 */
class UpsertStatementsTest {
  private static final List<String> COLUMNS = List.of("k1", "k2", "v", "w");
  private static final List<String> KEY = List.of("k1", "k2");

  @Test
  void mariadbIsNamedAndTakesMariadbAndMysqlUrls() {
    assertEquals(SqlDialect.MARIADB, SqlDialect.parse(" MariaDB "));
    assertEquals(SqlDialect.MARIADB, SqlDialect.fromUrl("jdbc:mariadb://db:3306/x"));
    assertEquals(SqlDialect.MARIADB, SqlDialect.fromUrl("JDBC:MySQL://db:3306/x"));
    assertEquals("org.mariadb.jdbc.Driver", SqlDialect.MARIADB.driverClassName());
    // Connector/J refuses jdbc:mysql: without permitMysqlScheme: the driver gets jdbc:mariadb:
    assertEquals(
        "jdbc:mariadb://db:3306/x?useSsl=true",
        SqlDialect.MARIADB.driverUrl("jdbc:mysql://db:3306/x?useSsl=true"));
    assertEquals("jdbc:mariadb://db/x", SqlDialect.MARIADB.driverUrl("jdbc:mariadb://db/x"));
    assertEquals("jdbc:h2:mem:x", SqlDialect.H2.driverUrl("jdbc:h2:mem:x"));
    JdbcSettings mysql = JdbcSettings.builder("jdbc:mysql://db:3306/x").passwordEnv(null).build();
    assertEquals(SqlDialect.MARIADB, mysql.dialect());
    assertEquals("jdbc:mysql://db:3306/x", mysql.url());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JdbcSettings.builder("jdbc:postgresql://db/x")
                    .dialect(SqlDialect.MARIADB)
                    .build());
    assertTrue(e.getMessage().contains("jdbc:mariadb: or jdbc:mysql:"), e.getMessage());
  }

  @Test
  void eachDialectUpsertsByTheKeyAndUpdatesTheOtherColumns() {
    assertEquals(
        "INSERT INTO t (k1, k2, v, w) VALUES (?, ?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE v = VALUES(v), w = VALUES(w)",
        SqlDialect.MARIADB.upsert("t", COLUMNS, KEY));
    assertEquals(
        "INSERT INTO t (k1, k2, v, w) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (k1, k2) DO UPDATE SET v = EXCLUDED.v, w = EXCLUDED.w",
        SqlDialect.POSTGRES.upsert("t", COLUMNS, KEY));
    assertEquals(
        "MERGE INTO t (k1, k2, v, w) KEY (k1, k2) VALUES (?, ?, ?, ?)",
        SqlDialect.H2.upsert("t", COLUMNS, KEY));
    assertEquals(
        "MERGE INTO s.t t USING (SELECT ? AS k1, ? AS k2, ? AS v, ? AS w FROM DUAL) s"
            + " ON (t.k1 = s.k1 AND t.k2 = s.k2)"
            + " WHEN MATCHED THEN UPDATE SET t.v = s.v, t.w = s.w"
            + " WHEN NOT MATCHED THEN INSERT (k1, k2, v, w) VALUES (s.k1, s.k2, s.v, s.w)",
        SqlDialect.ORACLE.upsert("s.t", COLUMNS, KEY));
  }

  @Test
  void aTableOfKeyColumnsOnlyKeepsAnExistingRow() {
    List<String> all = List.of("a", "b");
    assertEquals(
        "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a, b) DO NOTHING",
        SqlDialect.POSTGRES.upsert("t", all, all));
    assertEquals(
        "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY UPDATE a = VALUES(a)",
        SqlDialect.MARIADB.upsert("t", all, all));
    assertEquals(
        "MERGE INTO t t USING (SELECT ? AS a, ? AS b FROM DUAL) s ON (t.a = s.a AND t.b = s.b)"
            + " WHEN NOT MATCHED THEN INSERT (a, b) VALUES (s.a, s.b)",
        SqlDialect.ORACLE.upsert("t", all, all));
  }

  @Test
  void theMariadbAuditUpsertUpdatesAllButTheKey() {
    String sql = SqlDialect.MARIADB.auditUpsert("E_EVENT_FLOW_STREAM");
    assertTrue(sql.startsWith("INSERT INTO E_EVENT_FLOW_STREAM (EVENT_ID, EVENT_NAME, "), sql);
    assertEquals(AuditColumn.values().length, sql.chars().filter(c -> c == '?').count());
    assertTrue(sql.contains(" ON DUPLICATE KEY UPDATE EVENT_NAME = VALUES(EVENT_NAME), "), sql);
    assertTrue(sql.endsWith("LAST_ACTIVITY = VALUES(LAST_ACTIVITY)"), sql);
    assertTrue(!sql.contains("EVENT_ID = VALUES"), sql);
  }

  @Test
  void namesAndKeysAreChecked() {
    for (String bad : new String[] {"a b", "a;drop", "1a", "s.c", ""}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> SqlDialect.MARIADB.upsert("t", List.of("k", bad), List.of("k")),
          bad);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> SqlDialect.POSTGRES.upsert("t; x", COLUMNS, KEY));
    assertThrows(
        IllegalArgumentException.class, () -> SqlDialect.H2.upsert("t", COLUMNS, List.of("z")));
    assertThrows(
        IllegalArgumentException.class, () -> SqlDialect.H2.upsert("t", COLUMNS, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> SqlDialect.H2.upsert("t", List.of("a", "A"), List.of("a")));
    assertThrows(
        IllegalArgumentException.class,
        () -> SqlDialect.H2.upsert("t", COLUMNS, List.of("k1", "K1")));
  }

  @Test
  void theSinkRefusesNullableKeysAndUnsupportedTypes() {
    JdbcSettings h2 = JdbcTesting.h2();
    Schema nullableKey =
        Schema.builder()
            .addNullableField("k", Schema.FieldType.STRING)
            .addStringField("v")
            .build();
    assertThrows(
        IllegalArgumentException.class, () -> UpsertTable.of(h2, "t", nullableKey, List.of("k")));
    Schema bytes = Schema.builder().addStringField("k").addByteArrayField("v").build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> UpsertTable.of(h2, "t", bytes, List.of("k")));
    assertTrue(e.getMessage().contains("column v of t has type BYTES"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> UpsertTable.of(h2, "t", bytes, List.of("k")).withBatchSize(0));
  }

  @Test
  void theClassroomSinksMatchTheirScripts() {
    ClassroomTables tables = ClassroomTables.defaults().withTakeTime("app.take_time");
    for (SqlDialect dialect : SqlDialect.values()) {
      Map<String, String> ddl = tables.statements(dialect);
      assertEquals(
          List.of("timeline_signal_analysis", "app.take_time", "user_av_record"),
          List.copyOf(ddl.keySet()));
      JdbcSettings settings = settingsOf(dialect);
      for (UpsertTable sink :
          List.of(
              tables.signalAnalysisSink(settings),
              tables.takeTimeSink(settings),
              tables.avRecordSink(settings))) {
        String create = ddl.get(sink.table()).replaceAll("\\s+", " ");
        assertTrue(create.startsWith("CREATE TABLE " + sink.table() + " ("), create);
        for (String column : sink.schema().getFieldNames()) {
          assertTrue(create.contains(" " + column + " "), column + " missing in " + create);
        }
        assertTrue(
            create.contains("PRIMARY KEY (" + String.join(", ", sink.key()) + ")"),
            dialect + ": the primary key is not the upsert key in " + create);
      }
    }
    assertTrue(ClassroomTables.TAKE_TIME_KEY.contains("success_time"));
  }

  @Test
  void transientMariadbErrorsAreRetried() {
    assertTrue(
        TransientSqlErrors.isTransient(
            new SQLException("Lock wait timeout exceeded", "HY000", 1205), SqlDialect.MARIADB));
    assertTrue(
        TransientSqlErrors.isTransient(
            new SQLException("Deadlock found", "40001", 1213), SqlDialect.MARIADB));
    assertTrue(
        TransientSqlErrors.isTransient(
            new SQLException("Too many connections", "08004", 1040), SqlDialect.MARIADB));
    assertTrue(!TransientSqlErrors.isTransient(
        new SQLException("Access denied", "28000", 1045), SqlDialect.MARIADB));
    assertTrue(!TransientSqlErrors.isTransient(
        new SQLException("Duplicate entry", "23000", 1062), SqlDialect.MARIADB));
    // the codes are MariaDB's: the same number means something else elsewhere
    assertTrue(!TransientSqlErrors.isTransient(
        new SQLException("x", "HY000", 1205), SqlDialect.POSTGRES));
  }

  private static JdbcSettings settingsOf(SqlDialect dialect) {
    switch (dialect) {
      case MARIADB:
        return JdbcSettings.builder("jdbc:mariadb://db/x").passwordEnv(null).build();
      case POSTGRES:
        return JdbcSettings.builder("jdbc:postgresql://db/x").passwordEnv(null).build();
      case ORACLE:
        return JdbcSettings.builder("jdbc:oracle:thin:@//db:1521/x").passwordEnv(null).build();
      case H2:
      default:
        return JdbcTesting.h2();
    }
  }
}
