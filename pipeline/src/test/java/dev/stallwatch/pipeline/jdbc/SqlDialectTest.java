package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dialects' names and the text of their upserts (the ITs run them on real databases). */
class SqlDialectTest {
  private static final String ORACLE = SqlDialect.ORACLE.auditUpsert("E_EVENT_FLOW_STREAM");
  private static final String H2 = SqlDialect.H2.auditUpsert("E_EVENT_FLOW_STREAM");
  private static final String POSTGRES = SqlDialect.POSTGRES.auditUpsert("E_EVENT_FLOW_STREAM");

  @Test
  void parsesNamesInAnyCaseAndNamesTheAllowedOnesOtherwise() {
    assertEquals(SqlDialect.ORACLE, SqlDialect.parse("Oracle"));
    assertEquals(SqlDialect.H2, SqlDialect.parse(" h2 "));
    assertEquals(SqlDialect.POSTGRES, SqlDialect.parse("POSTGRES"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SqlDialect.parse("mysql"));
    assertEquals(
        "unknown SQL dialect 'mysql': expected one of oracle, h2, postgres, mariadb",
        e.getMessage());
  }

  @Test
  void infersTheDialectFromTheUrl() {
    assertEquals(SqlDialect.ORACLE, SqlDialect.fromUrl("jdbc:oracle:thin:@//db:1521/ORCL"));
    assertEquals(SqlDialect.H2, SqlDialect.fromUrl("jdbc:h2:mem:x;MODE=Oracle"));
    assertEquals(SqlDialect.POSTGRES, SqlDialect.fromUrl("JDBC:PostgreSQL://db/x"));
    // MySQL's URLs go to MariaDB's driver (UpsertStatementsTest); other unknown ones still fail
    assertThrows(IllegalArgumentException.class, () -> SqlDialect.fromUrl("jdbc:sqlserver://db"));
    assertThrows(IllegalArgumentException.class, () -> SqlDialect.fromUrl("jdbc:postgres://db"));
  }

  @Test
  void everyUpsertBindsEveryColumnOnce() {
    int columns = AuditColumn.values().length;
    assertEquals(19, columns);
    for (String sql : new String[] {ORACLE, H2, POSTGRES}) {
      assertEquals(columns, sql.chars().filter(ch -> ch == '?').count(), sql);
      for (AuditColumn c : AuditColumn.values()) {
        assertTrue(sql.contains(c.name()), c + " missing in " + sql);
      }
    }
  }

  @Test
  void oracleMergesFromDualWithoutAsBeforeTableAliases() {
    assertTrue(ORACLE.startsWith("MERGE INTO E_EVENT_FLOW_STREAM t USING (SELECT ? AS EVENT_ID, "));
    assertTrue(ORACLE.contains(" FROM DUAL) s ON ("));
    assertTrue(
        ORACLE.contains(
            " ON (t.EVENT_ID = s.EVENT_ID AND t.MOBILE = s.MOBILE AND t.EVENT_DATE = s.EVENT_DATE)"
                + " WHEN MATCHED THEN UPDATE SET "));
    assertFalse(ORACLE.contains(" AS t "), ORACLE);
    assertFalse(ORACLE.contains(") AS s"), ORACLE);
    // Oracle refuses to update a column of the ON clause (ORA-38104)
    String set =
        ORACLE.substring(ORACLE.indexOf("UPDATE SET"), ORACLE.indexOf("WHEN NOT MATCHED"));
    for (AuditColumn key : AuditColumn.KEY) {
      assertFalse(set.contains("t." + key.name() + " ="), set);
    }
    assertTrue(
        ORACLE.endsWith(
            "VALUES (s.EVENT_ID, s.EVENT_NAME, s.FUND_ACC_NO, s.MOBILE, s.EVENT_DATE,"
                + " s.EVENT_TIME, s.ROUTE, s.USER_ID, s.CLIENT_NAME, s.REQUEST_NO, s.CHANNEL_CODE,"
                + " s.CHANNEL_NAME, s.BRANCH_NO, s.BUSINESS_FLAG_LAST, s.STEP_CODE, s.STEP_NAME,"
                + " s.RULE_NAME, s.GAP_MINUTES, s.LAST_ACTIVITY)"),
        ORACLE);
  }

  @Test
  void h2CastsEveryParameterAndIsOtherwiseTheOracleMerge() {
    Matcher casts = Pattern.compile("CAST\\(\\? AS (VARCHAR2|NUMBER)\\(\\d+\\)\\) AS ").matcher(H2);
    int n = 0;
    while (casts.find()) {
      n++;
    }
    assertEquals(AuditColumn.values().length, n);
    assertTrue(H2.contains("CAST(? AS NUMBER(10)) AS GAP_MINUTES"), H2);
    assertTrue(H2.contains("CAST(? AS VARCHAR2(200)) AS EVENT_NAME"), H2);
    assertEquals(ORACLE, H2.replaceAll("CAST\\(\\? AS [A-Z0-9]+\\(\\d+\\)\\)", "?"));
  }

  @Test
  void postgresUpdatesOnAConflictOfTheKey() {
    assertTrue(POSTGRES.startsWith("INSERT INTO E_EVENT_FLOW_STREAM (EVENT_ID, EVENT_NAME, "));
    assertTrue(
        POSTGRES.contains(
            " ON CONFLICT (EVENT_ID, MOBILE, EVENT_DATE)"
                + " DO UPDATE SET EVENT_NAME = EXCLUDED.EVENT_NAME,"),
        POSTGRES);
    assertFalse(POSTGRES.contains("EVENT_ID = EXCLUDED"), POSTGRES);
    assertTrue(POSTGRES.endsWith("LAST_ACTIVITY = EXCLUDED.LAST_ACTIVITY"), POSTGRES);
  }

  @Test
  void tableNamesMayBeQualifiedButCannotCarrySql() {
    assertTrue(
        SqlDialect.ORACLE
            .auditUpsert("MOT_DATA_UAT.E_EVENT_FLOW_STREAM")
            .startsWith("MERGE INTO MOT_DATA_UAT.E_EVENT_FLOW_STREAM t "));
    for (String bad : new String[] {"t; DROP TABLE x", "a.b.c", "", "1abc", "t s"}) {
      assertThrows(IllegalArgumentException.class, () -> SqlDialect.POSTGRES.auditUpsert(bad), bad);
    }
  }
}
