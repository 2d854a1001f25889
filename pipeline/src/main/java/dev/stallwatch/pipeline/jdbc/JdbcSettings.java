package dev.stallwatch.pipeline.jdbc;

import dev.stallwatch.pipeline.config.Secrets;
import dev.stallwatch.pipeline.options.JdbcOptions;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

/**
 * Where StallWatch's database is and how to log in. The password never comes from the command
 * line: it is read from a file (when {@link Builder#passwordFile} is given) or else from an
 * environment variable ({@value #DEFAULT_PASSWORD_ENV} unless {@link Builder#passwordEnv} names
 * another). No secret comes from the command line: a URL parameter or a {@code --jdbcProperties}
 * property whose name is secret ({@link Secrets#isSecretName}), and a password in a URL's user
 * info, are refused; secret driver properties go in a properties file ({@link
 * Builder#propertiesFile}).
 *
 * <p>The password and the properties file are read where a connection is made, not when the
 * settings are built: what a runner serializes and shows (the job graph, display data, this
 * object's {@link #toString}) holds only where they come from, and the URL only as {@link
 * #shownUrl}. On a cluster, give the workers the same variable and files.
 */
public final class JdbcSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_PASSWORD_ENV = "STALLWATCH_JDBC_PASSWORD";

  private final String url;
  private final String user;
  private final SqlDialect dialect;
  private final PasswordSource password;
  private final DriverProperties properties;

  private JdbcSettings(Builder b) {
    this.url = b.url;
    this.user = b.user;
    this.dialect = b.dialect;
    this.password = new PasswordSource(b.passwordEnv, b.passwordFile);
    this.properties = new DriverProperties(b.properties, b.propertiesFile);
  }

  /**
   * The settings the {@code --jdbc...} options give; the password comes from {@code
   * --jdbcPasswordFile} or the environment, never the command line.
   */
  public static JdbcSettings from(JdbcOptions options) {
    try {
      Builder b = builder(options.getJdbcUrl());
      if (options.getJdbcUser() != null) {
        b.user(options.getJdbcUser());
      }
      if (options.getJdbcDialect() != null) {
        b.dialect(SqlDialect.parse(options.getJdbcDialect()));
      }
      if (options.getJdbcPasswordFile() != null) {
        b.passwordFile(options.getJdbcPasswordFile());
      }
      if (options.getJdbcProperties() != null) {
        b.properties(options.getJdbcProperties());
      }
      if (options.getJdbcPropertiesFile() != null) {
        b.propertiesFile(options.getJdbcPropertiesFile());
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage() : "--jdbc...: " + e.getMessage());
    }
  }

  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }

  /** Builds {@link JdbcSettings}; {@link #build} checks the whole. */
  public static final class Builder {
    private final String url;
    private String user;
    private SqlDialect dialect;
    private String passwordEnv = DEFAULT_PASSWORD_ENV;
    private String passwordFile;
    private LinkedHashMap<String, String> properties = new LinkedHashMap<>();
    private String propertiesFile;

    private Builder(String url) {
      this.url = url == null ? "" : url.trim();
    }

    /** The user to log in as; none by default (the driver's default user). */
    public Builder user(String value) {
      this.user = blankToNull(value);
      return this;
    }

    /** The SQL dialect; by default the one of the URL ({@link SqlDialect#fromUrl}). */
    public Builder dialect(SqlDialect value) {
      this.dialect = value;
      return this;
    }

    /** The environment variable holding the password; default {@value #DEFAULT_PASSWORD_ENV}. */
    public Builder passwordEnv(String name) {
      this.passwordEnv = blankToNull(name);
      return this;
    }

    /**
     * A file whose content (without a final line break) is the password. It takes precedence over
     * the environment variable.
     */
    public Builder passwordFile(String path) {
      this.passwordFile = blankToNull(path);
      return this;
    }

    /**
     * Extra driver properties as {@code key=value;key=value}, for instance TLS settings:
     * {@code ssl=true;sslmode=verify-full} for PostgreSQL, {@code
     * oracle.net.ssl_server_dn_match=true} for Oracle. Values cannot contain {@code ;}. The user
     * and the password have their own settings and a secret property ({@link
     * Secrets#isSecretName}) belongs in the {@link #propertiesFile}: both are refused here.
     */
    public Builder properties(String keyValues) {
      this.properties = parseProperties(keyValues);
      return this;
    }

    /**
     * A Java properties file of more driver properties, where secret ones belong ({@code
     * sslpassword}, {@code oracle.net.wallet_password}, ...). {@link #build} checks that it can be
     * read; its values are read each time a connection is made. A name also given by {@link
     * #properties}, {@code user} and {@code password} are refused.
     */
    public Builder propertiesFile(String path) {
      this.propertiesFile = blankToNull(path);
      return this;
    }

    /** The settings; an {@link IllegalArgumentException} names what is wrong. */
    public JdbcSettings build() {
      if (!url.regionMatches(true, 0, "jdbc:", 0, 5)) {
        throw new IllegalArgumentException("the JDBC URL must start with jdbc:");
      }
      checkUrlHoldsNoSecret(url);
      if (dialect == null) {
        dialect = SqlDialect.fromUrl(url);
      } else if (!dialect.matchesUrl(url)) {
        throw new IllegalArgumentException(
            "SQL dialect "
                + dialect.optionName()
                + " needs a JDBC URL that starts with "
                + (dialect == SqlDialect.MARIADB
                    ? dialect.urlPrefix() + " or " + SqlDialect.MYSQL_URL_PREFIX
                    : dialect.urlPrefix())
                + " (H2 in Oracle mode is dialect h2)");
      }
      JdbcSettings settings = new JdbcSettings(this);
      settings.properties.check();
      return settings;
    }
  }

  /** Refuses a URL with a secret parameter or a password in its user info, naming never a value. */
  private static void checkUrlHoldsNoSecret(String url) {
    for (Secrets.Parameter p : Secrets.parameters(url)) {
      String lower = p.name().toLowerCase(Locale.ROOT);
      if (lower.equals("password")) {
        throw new IllegalArgumentException(
            "--jdbcUrl: parameter " + p.name() + " holds the password; put it in "
                + DriverProperties.ownSetting(lower));
      }
      if (Secrets.isSecretName(p.name())) {
        throw new IllegalArgumentException(
            "--jdbcUrl: parameter " + p.name() + " holds a secret; put it in --jdbcPropertiesFile");
      }
    }
    if (Secrets.hasUserInfoPassword(url)) {
      throw new IllegalArgumentException(
          "--jdbcUrl: the user info (user:password@ or user/password@) holds the password; put it in "
              + DriverProperties.ownSetting("password"));
    }
  }

  static LinkedHashMap<String, String> parseProperties(String keyValues) {
    LinkedHashMap<String, String> map = new LinkedHashMap<>();
    if (keyValues == null) {
      return map;
    }
    for (String pair : keyValues.split(";")) {
      if (pair.trim().isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        String shown = Secrets.isSecretName(pair) ? "with a secret name" : "'" + pair.trim() + "'";
        throw new IllegalArgumentException(
            "--jdbcProperties: the property " + shown + " is not key=value (pairs are separated by ;)");
      }
      String key = pair.substring(0, eq).trim();
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals("password") || lower.equals("user")) {
        throw new IllegalArgumentException(
            "--jdbcProperties: " + key + " has its own setting, " + DriverProperties.ownSetting(lower));
      }
      if (Secrets.isSecretName(key)) {
        throw new IllegalArgumentException(
            "--jdbcProperties: " + key + " holds a secret; put it in --jdbcPropertiesFile");
      }
      map.put(key, pair.substring(eq + 1).trim());
    }
    return map;
  }

  private static String blankToNull(String s) {
    return s == null || s.trim().isEmpty() ? null : s.trim();
  }

  /** The JDBC URL, to connect with; it holds no secret ({@link Builder#build} refuses one). */
  public String url() {
    return url;
  }

  /** The URL as every message, log line and display data item shows it ({@link Secrets#shownUrl}). */
  public String shownUrl() {
    return Secrets.shownUrl(url);
  }

  /** The user, or null for the driver's default. */
  public String user() {
    return user;
  }

  public SqlDialect dialect() {
    return dialect;
  }

  /** The extra driver properties of the command line, in the order given (not the file's). */
  public Map<String, String> properties() {
    return properties.given();
  }

  /** The driver properties file, or null. */
  public String propertiesFile() {
    return properties.file();
  }

  /** Where the password comes from, for messages: never the password itself. */
  public String passwordSource() {
    return password.toString();
  }

  /** The password, read now from its file or variable; null when neither gives one. */
  String password() {
    return password.read(System::getenv);
  }

  /**
   * JdbcIO's description of this database: the dialect's driver, the URL (as the driver takes it:
   * MariaDB's driver gets a {@code jdbc:mysql:} URL as {@code jdbc:mariadb:}), the user, the extra
   * properties, and a password that is read only when the data source is built on a worker; so
   * are the properties of the file, when one is given.
   */
  public JdbcIO.DataSourceConfiguration dataSourceConfiguration() {
    JdbcIO.DataSourceConfiguration config =
        JdbcIO.DataSourceConfiguration.create(dialect.driverClassName(), dialect.driverUrl(url))
            .withPassword(password);
    if (user != null) {
      config = config.withUsername(user);
    }
    if (properties.file() != null) {
      config = config.withConnectionProperties(properties);
    } else if (!properties.isEmpty()) {
      config = config.withConnectionProperties(properties.get());
    }
    return config;
  }

  /**
   * A new connection with plain JDBC, for the dimension loads and the DDL. The driver is
   * instantiated directly rather than looked up in {@link java.sql.DriverManager}, which does not
   * see drivers in a Flink job's user-code class loader.
   */
  public Connection connect() throws SQLException {
    Driver driver;
    try {
      driver =
          (Driver)
              Class.forName(dialect.driverClassName(), true, JdbcSettings.class.getClassLoader())
                  .getDeclaredConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new SQLException("JDBC driver " + dialect.driverClassName() + " is not available", e);
    }
    Properties info = new Properties();
    info.putAll(properties.read());
    if (user != null) {
      info.setProperty("user", user);
    }
    String secret = password();
    if (secret != null) {
      info.setProperty("password", secret);
    }
    Connection connection = driver.connect(dialect.driverUrl(url), info);
    if (connection == null) {
      throw new SQLException(dialect.driverClassName() + " does not accept the URL " + shownUrl());
    }
    return connection;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JdbcSettings)) {
      return false;
    }
    JdbcSettings s = (JdbcSettings) o;
    return url.equals(s.url)
        && Objects.equals(user, s.user)
        && dialect == s.dialect
        && password.equals(s.password)
        && properties.equals(s.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, user, dialect, password, properties);
  }

  /**
   * The shown URL, user, dialect, the password's source, the property names and the properties
   * file; no secret values.
   */
  @Override
  public String toString() {
    return "JdbcSettings{url="
        + shownUrl()
        + ", user="
        + user
        + ", dialect="
        + dialect.optionName()
        + ", password="
        + password
        + ", properties="
        + properties
        + "}";
  }
}
