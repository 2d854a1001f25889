package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped DDL matches the code: every audit column, the key, the configured table names. */
class TableScriptsTest {
  @Test
  void everyScriptDeclaresTheAuditColumnsAndKey() {
    for (SqlDialect dialect : SqlDialect.values()) {
      String audit =
          TableScripts.statements(dialect, AuditTable.DEFAULT_TABLE, DimensionTables.defaults())
              .get(AuditTable.DEFAULT_TABLE);
      String upper = audit.toUpperCase(Locale.ROOT);
      boolean plain = dialect == SqlDialect.POSTGRES || dialect == SqlDialect.MARIADB;
      for (AuditColumn c : AuditColumn.values()) {
        String type =
            c.isNumber()
                ? (plain ? "BIGINT" : "NUMBER(" + c.size + ")")
                : (plain
                    ? "VARCHAR(" + c.size + ")"
                    : "VARCHAR2(" + c.size + " CHAR)");
        assertTrue(
            upper.matches("(?s).*\\b" + c.name() + "\\s+" + Pattern.quote(type) + ".*"),
            dialect + ": " + c + " is not " + type + " in " + audit);
      }
      assertTrue(upper.contains("PRIMARY KEY (EVENT_ID, MOBILE, EVENT_DATE)"), audit);
    }
  }

  @Test
  void usesTheConfiguredNamesAndLeavesOutTablesNotUsed() {
    Map<String, String> statements =
        TableScripts.statements(
            SqlDialect.ORACLE,
            "MOT_DATA_UAT.E_EVENT_FLOW_STREAM",
            DimensionTables.defaults().withBlacklist("DIM_BLACKLIST").withExistingCustomers(null));
    assertEquals(
        List.of("MOT_DATA_UAT.E_EVENT_FLOW_STREAM", "DIM_BLACKLIST", "STALLWATCH_CHANNEL"),
        List.copyOf(statements.keySet()));
    assertTrue(
        statements.get("DIM_BLACKLIST").startsWith("CREATE TABLE DIM_BLACKLIST ("),
        statements.get("DIM_BLACKLIST"));
    assertTrue(
        statements
            .get("MOT_DATA_UAT.E_EVENT_FLOW_STREAM")
            .startsWith("CREATE TABLE MOT_DATA_UAT.E_EVENT_FLOW_STREAM ("));
  }

  @Test
  void splitsAtSemicolonsWithoutComments() {
    assertEquals(
        List.of("CREATE TABLE A (X INT)", "CREATE TABLE B (\n  Y INT \n)"),
        TableScripts.split(
            "-- header; with a semicolon\nCREATE TABLE A (X INT);\n\nCREATE TABLE B (\n"
                + "  Y INT -- why; because\n);\n-- end\n"));
  }
}
