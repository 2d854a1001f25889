package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings: the password from a file or a variable only, and never shown or serialized. */
class JdbcSettingsTest {
  private static final String SECRET = "s3cret-Pa55";

  @TempDir Path dir;

  private JdbcSettings fromFile() throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, SECRET + "\r\n", StandardCharsets.UTF_8);
    return JdbcSettings.builder("jdbc:postgresql://db:5432/mot")
        .user("stallwatch")
        .passwordFile(file.toString())
        .properties("ssl=true; sslmode=verify-full ;")
        .build();
  }

  @Test
  void readsThePasswordFromTheFileWithoutItsLineBreak() throws Exception {
    assertEquals(SECRET, fromFile().password());
  }

  @Test
  void readsThePasswordFromTheVariableWhenNoFileIsGiven() {
    PasswordSource env = new PasswordSource("MY_PW", null);
    assertEquals(SECRET, env.read(Map.of("MY_PW", SECRET)::get));
    assertNull(env.read(Map.<String, String>of()::get));
    assertNull(env.read(Map.of("MY_PW", "")::get));
    assertEquals(
        "<from environment variable STALLWATCH_JDBC_PASSWORD>",
        JdbcSettings.builder("jdbc:h2:mem:x").build().passwordSource());
  }

  @Test
  void anUnreadablePasswordFileIsAnErrorNamingIt() {
    JdbcSettings settings =
        JdbcSettings.builder("jdbc:h2:mem:x")
            .passwordFile(dir.resolve("absent").toString())
            .build();
    IllegalStateException e = assertThrows(IllegalStateException.class, settings::password);
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
  }

  @Test
  void neverShowsThePassword() throws Exception {
    JdbcSettings settings = fromFile();
    assertEquals(
        "JdbcSettings{url=jdbc:postgresql://db:5432/mot, user=stallwatch, dialect=postgres,"
            + " password=<from file " + dir.resolve("password") + ">, properties=[ssl, sslmode]}",
        settings.toString());

    JdbcIO.DataSourceConfiguration config = settings.dataSourceConfiguration();
    assertFalse(config.toString().contains(SECRET), config.toString());
    DisplayData shown =
        DisplayData.from(JdbcIO.read().withDataSourceConfiguration(config).withQuery("SELECT 1"));
    assertFalse(shown.toString().contains(SECRET), shown.toString());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(settings);
      out.writeObject(config);
    }
    assertFalse(
        new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).contains(SECRET),
        "the password travels with the serialized settings");
  }

  @Test
  void passesTheDriverPropertiesThrough() throws Exception {
    assertEquals(Map.of("ssl", "true", "sslmode", "verify-full"), fromFile().properties());
    assertEquals(
        List.of("oracle.net.ssl_server_dn_match", "oracle.net.wallet_location"),
        List.copyOf(
            JdbcSettings.builder("jdbc:oracle:thin:@tcps://db:2484/svc")
                .properties(
                    "oracle.net.ssl_server_dn_match=true;oracle.net.wallet_location=/etc/wallet")
                .build()
                .properties()
                .keySet()));
    assertThrows(
        IllegalArgumentException.class,
        () -> JdbcSettings.builder("jdbc:h2:mem:x").properties("ssl").build());
    assertThrows(
        IllegalArgumentException.class,
        () -> JdbcSettings.builder("jdbc:h2:mem:x").properties("a=1;Password=x").build());
  }

  @Test
  void refusesAUrlThatHoldsAPassword() {
    for (String url :
        List.of(
            "jdbc:postgresql://db/mot?user=a&password=b",
            "jdbc:postgresql://db/mot?password=b",
            "jdbc:h2:mem:x;PASSWORD=b",
            "jdbc:oracle:thin:scott/tiger@//db:1521/ORCL")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> JdbcSettings.builder(url).build(), url);
      assertTrue(e.getMessage().contains("STALLWATCH_JDBC_PASSWORD"), e.getMessage());
      assertFalse(e.getMessage().contains("tiger"), e.getMessage());
    }
    JdbcSettings.builder("jdbc:oracle:thin:@//db:1521/ORCL").build();
    JdbcSettings.builder("jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=db)(PORT=1521)))").build();
  }

  @Test
  void theDialectFollowsTheUrlUnlessGivenAndMustMatchIt() {
    assertEquals(SqlDialect.H2, JdbcSettings.builder("jdbc:h2:mem:x").build().dialect());
    assertEquals(
        SqlDialect.ORACLE,
        JdbcSettings.builder("jdbc:oracle:thin:@//db/x")
            .dialect(SqlDialect.ORACLE)
            .build()
            .dialect());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JdbcSettings.builder("jdbc:h2:mem:x").dialect(SqlDialect.ORACLE).build());
    assertTrue(e.getMessage().contains("dialect h2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JdbcSettings.builder("db:5432").build());
  }
}
