package dev.stallwatch.pipeline.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.pipeline.options.JdbcOptions;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret from the command line: a URL or {@code --jdbcProperties} with a secret parameter is
 * refused with a line that names it and never its value; secret driver properties come from
 * {@code --jdbcPropertiesFile}, read where a connection is made and shown nowhere.
 */
class JdbcSecretsTest {
  private static final String VALUE = "s3cret-V4lue";

  @TempDir Path dir;

  private static IllegalArgumentException refusedUrl(String url) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JdbcSettings.builder(url).build(), url);
    assertFalse(e.getMessage().contains(VALUE), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  @Test
  void aUrlWithASecretParameterIsRefusedNamingTheParameterOnly() {
    assertEquals(
        "--jdbcUrl: parameter sslpassword holds a secret; put it in --jdbcPropertiesFile",
        refusedUrl("jdbc:postgresql://db/mot?ssl=true&sslpassword=" + VALUE).getMessage());
    assertEquals(
        "--jdbcUrl: parameter SSLPassword holds a secret; put it in --jdbcPropertiesFile",
        refusedUrl("jdbc:postgresql://db/mot?SSLPassword=" + VALUE + "&sslmode=verify-full")
            .getMessage());
    assertEquals(
        "--jdbcUrl: parameter oracle.net.wallet_password holds a secret; put it in"
            + " --jdbcPropertiesFile",
        refusedUrl("jdbc:oracle:thin:@tcps://db:2484/svc?oracle.net.wallet_password=" + VALUE)
            .getMessage());
    for (String url :
        List.of(
            "jdbc:postgresql://db/mot?sslkey=/etc/stallwatch/" + VALUE + ".pk8",
            "jdbc:postgresql://db/mot?ssl%70assword=" + VALUE,
            "jdbc:mariadb://db/mot?keyStore=/ks.jks&keyStorePassword=" + VALUE,
            "jdbc:oracle:thin:@tcps://db:2484/svc?javax.net.ssl.trustStorePassword=" + VALUE,
            "jdbc:h2:mem:x;MODE=Oracle;API_KEY=" + VALUE,
            "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=db)(PORT=2484))"
                + "(SECURITY=(AUTH_TOKEN=" + VALUE + ")))")) {
      String message = refusedUrl(url).getMessage();
      assertTrue(message.startsWith("--jdbcUrl: parameter "), message);
      assertTrue(message.endsWith(" holds a secret; put it in --jdbcPropertiesFile"), message);
    }
  }

  @Test
  void aPasswordInTheUrlIsRefusedPointingToThePasswordSettings() {
    for (String url :
        List.of(
            "jdbc:postgresql://db/mot?user=sw&password=" + VALUE,
            "jdbc:h2:mem:x;PassWord=" + VALUE,
            "jdbc:postgresql://sw:" + VALUE + "@db:5432/mot",
            "jdbc:oracle:thin:scott/" + VALUE + "@//db:1521/ORCL")) {
      String message = refusedUrl(url).getMessage();
      assertTrue(message.startsWith("--jdbcUrl: "), message);
      assertTrue(message.contains("--jdbcPasswordFile"), message);
      assertTrue(message.contains("STALLWATCH_JDBC_PASSWORD"), message);
    }
  }

  @Test
  void lookAlikesAreAccepted() throws SQLException {
    JdbcSettings h2 =
        JdbcSettings.builder(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";NON_KEYWORDS=KEY,VALUE;DB_CLOSE_DELAY=-1")
            .passwordEnv(null)
            .build();
    try (Connection c = h2.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE T (KEY INT, VALUE INT)"); // H2 honours NON_KEYWORDS
    }
    JdbcSettings.builder("jdbc:postgresql://sw@db:5432/mot?sslmode=verify-full&keyStore=/ks.jks")
        .build();
    JdbcSettings.builder("jdbc:oracle:thin:@tcps://db:2484/svc?oracle.net.wallet_location=/w")
        .build();
    JdbcSettings.builder("jdbc:postgresql://db/mot").properties("sslmode=require;keyStoreType=PKCS12").build();
  }

  @Test
  void aSecretOnTheCommandLinesPropertiesIsRefused() {
    for (String name : List.of("sslpassword", "oracle.net.wallet_password", "sslkey", "SSLPassPhrase")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  JdbcSettings.builder("jdbc:postgresql://db/mot")
                      .properties("ssl=true;" + name + "=" + VALUE));
      assertEquals(
          "--jdbcProperties: " + name + " holds a secret; put it in --jdbcPropertiesFile",
          e.getMessage());
    }
    JdbcOptions options = PipelineOptionsFactory.create().as(JdbcOptions.class);
    options.setJdbcUrl("jdbc:postgresql://db/mot");
    options.setJdbcProperties("sslpassword=" + VALUE);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JdbcSettings.from(options));
    assertEquals(
        "--jdbcProperties: sslpassword holds a secret; put it in --jdbcPropertiesFile",
        e.getMessage());
  }

  @Test
  void anUnreadablePropertiesFileIsOneLineAtStart() {
    Path absent = dir.resolve("absent.properties");
    JdbcOptions options = PipelineOptionsFactory.create().as(JdbcOptions.class);
    options.setJdbcUrl("jdbc:h2:mem:x");
    options.setJdbcPropertiesFile(absent.toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JdbcSettings.from(options));
    assertEquals("--jdbcPropertiesFile: cannot read " + absent, e.getMessage());
  }

  @Test
  void theFileHoldsNeitherTheUserNorThePassword() throws Exception {
    for (String name : List.of("user", "Password")) {
      Path file = write(name + "=" + VALUE + "\n");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> JdbcSettings.builder("jdbc:h2:mem:x").propertiesFile(file.toString()).build());
      assertTrue(e.getMessage().startsWith("--jdbcPropertiesFile: " + name + " has its own setting"), e.getMessage());
      assertFalse(e.getMessage().contains(VALUE), e.getMessage());
    }
  }

  /** H2 takes its settings from the connection properties: MODE shows the file was read. */
  @Test
  void theFileIsReadWhereAConnectionIsMadeByConnectAndByJdbcIo() throws Exception {
    Path file = write("MODE=PostgreSQL\n");
    JdbcSettings settings =
        JdbcSettings.builder("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
            .passwordEnv(null)
            .properties("DEFAULT_NULL_ORDERING=HIGH")
            .propertiesFile(file.toString())
            .build();
    assertEquals("PostgreSQL", mode(settings.connect()));

    Files.writeString(file, "MODE=MySQL\n", StandardCharsets.UTF_8);
    assertEquals("MySQL", mode(settings.connect()), "the file is read again on each connection");

    Files.writeString(file, "MODE=DB2\n", StandardCharsets.UTF_8);
    DataSource pooled =
        JdbcIO.DataSourceProviderFromDataSourceConfiguration.of(settings.dataSourceConfiguration())
            .apply(null);
    assertEquals("DB2", mode(pooled.getConnection()), "JdbcIO's pool reads the file too");
    try (Connection c = settings.connect()) {
      assertEquals("HIGH", setting(c, "DEFAULT_NULL_ORDERING"), "and keeps --jdbcProperties");
    }
  }

  @Test
  void theFilesValuesAreInNoStringDisplayDataOrSerializedForm() throws Exception {
    Path file = write("sslpassword=" + VALUE + "\noracle.net.wallet_password=" + VALUE + "\n");
    JdbcSettings settings =
        JdbcSettings.builder("jdbc:postgresql://db:5432/mot")
            .user("sw")
            .properties("ssl=true")
            .propertiesFile(file.toString())
            .build();
    assertEquals(
        "JdbcSettings{url=jdbc:postgresql://db:5432/mot, user=sw, dialect=postgres,"
            + " password=<from environment variable STALLWATCH_JDBC_PASSWORD>,"
            + " properties=[ssl] and the properties of file " + file + "}",
        settings.toString());
    assertEquals(Map.of("ssl", "true"), settings.properties());

    JdbcIO.DataSourceConfiguration config = settings.dataSourceConfiguration();
    assertFalse(config.toString().contains(VALUE), config.toString());
    DisplayData shown =
        DisplayData.from(JdbcIO.read().withDataSourceConfiguration(config).withQuery("SELECT 1"));
    assertFalse(shown.toString().contains(VALUE), shown.toString());
    DisplayData audit =
        DisplayData.from(
            (HasDisplayData)
                PatientDataSource.provider(settings, Duration.millis(1), Duration.millis(1)));
    assertFalse(audit.toString().contains(VALUE), audit.toString());
    assertTrue(audit.toString().contains("jdbc:postgresql://db:5432/mot"), audit.toString());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(settings);
      out.writeObject(config);
    }
    assertFalse(
        new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).contains(VALUE),
        "a file's value travels with the serialized settings");
  }

  private Path write(String content) throws Exception {
    Path file = Files.createTempFile(dir, "jdbc", ".properties");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static String mode(Connection connection) throws SQLException {
    try (Connection c = connection) {
      return setting(c, "MODE");
    }
  }

  private static String setting(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '"
                    + name
                    + "'")) {
      assertTrue(r.next(), name);
      return r.getString(1);
    }
  }
}
