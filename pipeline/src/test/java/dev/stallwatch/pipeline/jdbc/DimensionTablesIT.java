package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link DimensionTables} and {@link RefreshedDimensions#loadOnce} read the blacklist, the
 * existing customers and the channels from H2 in Oracle mode and from PostgreSQL: values trimmed,
 * blanks skipped, existing customers among the blacklisted ids; a table that cannot be read is
 * named in the error with the URL.
 */
class DimensionTablesIT {
  private static PostgresServer postgres;

  enum Database {
    H2,
    POSTGRES
  }

  @BeforeAll
  static void start() throws IOException {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  /** A database holding the default tables, filled with rows that need trimming and skipping. */
  private static JdbcSettings filled(Database database, String prefix) throws Exception {
    JdbcSettings settings = database == Database.H2 ? JdbcTesting.h2() : postgres.settings();
    DimensionTables tables = tables(prefix);
    TableScripts.createMissing(settings, prefix + "AUDIT", tables);
    JdbcTesting.execute(
        settings,
        "INSERT INTO " + tables.blacklist() + " (ID_NO, MOBILE_TEL) VALUES (?, ?)",
        new Object[] {" 110101199001011234 ", "13800000001"},
        new Object[] {null, "13800000002 "},
        new Object[] {"", ""},
        new Object[] {"  ", null},
        new Object[] {"110101199001015678", null});
    JdbcTesting.execute(
        settings,
        "INSERT INTO " + tables.existingCustomers() + " (ID_NO) VALUES (?)",
        new Object[] {"220101198501011111"},
        new Object[] {" 220101198501011111 "},
        new Object[] {"110101199001015678"},
        new Object[] {" "});
    JdbcTesting.execute(
        settings,
        "INSERT INTO " + tables.channels() + " (CHANNEL_CODE, CHANNEL_NAME) VALUES (?, ?)",
        new Object[] {"14781", "同花顺"},
        new Object[] {" 10001", " 抖音 "},
        new Object[] {"20002", null},
        new Object[] {"30003 ", "b"},
        new Object[] {"30003", "a"},
        new Object[] {" ", "no code"});
    return settings;
  }

  private static DimensionTables tables(String prefix) {
    return DimensionTables.defaults()
        .withBlacklist(prefix + "BLACKLIST")
        .withExistingCustomers(prefix + "CUSTOMER")
        .withChannels(prefix + "CHANNEL");
  }

  @ParameterizedTest
  @EnumSource(Database.class)
  void loadsTheBlacklistWithTheExistingCustomersAndTheChannels(Database database)
      throws Exception {
    JdbcSettings settings = filled(database, "LOADS_");
    Dimensions loaded = RefreshedDimensions.loadOnce(settings, tables("LOADS_"));

    assertEquals(
        Blacklist.of(
            List.of("110101199001011234", "110101199001015678", "220101198501011111"),
            List.of("13800000001", "13800000002")),
        loaded.blacklist());
    // the table has two names for 30003 (after trimming): the smaller wins, whatever the order
    assertEquals(
        ChannelNames.of(Map.of("14781", "同花顺", "10001", "抖音", "20002", "", "30003", "a")),
        loaded.channels());
  }

  @ParameterizedTest
  @EnumSource(Database.class)
  void aTableLeftOutIsNotRead(Database database) throws Exception {
    JdbcSettings settings = filled(database, "PART_");
    DimensionTables tables = tables("PART_").withExistingCustomers(null).withChannels(" ");

    assertEquals(
        Blacklist.of(
            List.of("110101199001011234", "110101199001015678"),
            List.of("13800000001", "13800000002")),
        tables.loadBlacklist(settings));
    assertEquals(ChannelNames.empty(), tables.loadChannels(settings));
    assertEquals(
        Blacklist.of(List.of("220101198501011111", "110101199001015678"), List.of()),
        tables("PART_").withBlacklist("").loadBlacklist(settings));
  }

  @ParameterizedTest
  @EnumSource(Database.class)
  void aMissingTableIsNamedWithTheUrl(Database database) throws Exception {
    JdbcSettings settings = filled(database, "MISSING_");
    DimensionTables tables = tables("MISSING_").withExistingCustomers("NO_SUCH_CUSTOMERS");

    DimensionLoadException e =
        assertThrows(
            DimensionLoadException.class, () -> RefreshedDimensions.loadOnce(settings, tables));
    assertEquals("NO_SUCH_CUSTOMERS", e.table());
    assertTrue(e.getMessage().contains("NO_SUCH_CUSTOMERS"), e.getMessage());
    assertTrue(e.getMessage().contains(settings.url()), e.getMessage());
    if (database == Database.POSTGRES) {
      assertFalse(e.getMessage().contains(postgres.password()), e.getMessage());
    }
  }

  @Test
  void anUnreachableDatabaseIsNamedWithoutItsPassword() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JdbcSettings settings =
        JdbcSettings.builder("jdbc:postgresql://127.0.0.1:" + closedPort + "/stallwatch")
            .user("stallwatch")
            .passwordFile(postgres.passwordFile().toString())
            .build();

    DimensionLoadException e =
        assertThrows(
            DimensionLoadException.class,
            () -> RefreshedDimensions.loadOnce(settings, DimensionTables.defaults()));
    assertEquals(DimensionTables.DEFAULT_BLACKLIST, e.table());
    assertTrue(e.getMessage().contains(settings.url()), e.getMessage());
    assertFalse(e.getMessage().contains(postgres.password()), e.getMessage());
  }

  @Test
  void aWrongPasswordIsRefusedByTheServer() throws Exception {
    JdbcSettings settings =
        JdbcSettings.builder(postgres.jdbcUrl())
            .user(PostgresServer.USER)
            .passwordEnv("STALLWATCH_TEST_UNSET_VARIABLE")
            .build();

    DimensionLoadException e =
        assertThrows(
            DimensionLoadException.class,
            () -> RefreshedDimensions.loadOnce(settings, DimensionTables.defaults()));
    // no variable, so no password: the server asks for one and the load fails at once
    assertTrue(e.getMessage().contains("SQLState 08004"), e.getMessage());
    assertFalse(TransientSqlErrors.isTransient(e.getCause(), SqlDialect.POSTGRES));
  }
}
