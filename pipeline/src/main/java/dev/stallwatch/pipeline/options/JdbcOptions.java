package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The database of the dimension tables and the audit table; its password never on the command line. */
@Description("Database")
public interface JdbcOptions extends PipelineOptions {
  @Description(
      "JDBC URL of the database with the dimension tables and the audit table (jdbc:oracle:...,"
          + " jdbc:postgresql:..., jdbc:h2:...); without it the job reads --blacklist/--channels files"
          + " and writes no audit rows")
  @Placeholder("URL")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("Database user")
  @Placeholder("USER")
  String getJdbcUser();

  void setJdbcUser(String value);

  @Description(
      "File holding the database password; without it the password is read from the environment"
          + " variable STALLWATCH_JDBC_PASSWORD (never from the command line)")
  @Placeholder("FILE")
  String getJdbcPasswordFile();

  void setJdbcPasswordFile(String value);

  @Description(
      "Extra JDBC driver properties, key=value;key=value (TLS settings, timeouts); a secret one"
          + " (a name with password, secret, credential, token, passphrase or key) is refused here:"
          + " it belongs in --jdbcPropertiesFile")
  @Placeholder("PROPS")
  String getJdbcProperties();

  void setJdbcProperties(String value);

  @Description(
      "Java properties file of more JDBC driver properties, where secret ones belong"
          + " (sslpassword, oracle.net.wallet_password, ...); read where a connection is made, so"
          + " no value is in the job")
  @Placeholder("FILE")
  String getJdbcPropertiesFile();

  void setJdbcPropertiesFile(String value);

  @Description("SQL dialect of the database: oracle, postgres, mariadb or h2")
  @ShownDefault("from the JDBC URL")
  @Placeholder("DIALECT")
  String getJdbcDialect();

  void setJdbcDialect(String value);

  @Description("Seconds between reloads of the blacklist, existing-customer and channel tables")
  @Default.Integer(600)
  @Range(min = 1, max = 86_400, unit = "seconds")
  @Placeholder("SECONDS")
  int getSideInputRefresh();

  void setSideInputRefresh(int value);

  @Description(
      "Largest fraction (0 to 1) by which a dimension table's row count may fall from one accepted"
          + " reload to the next; a reload that shrinks a table more (an ETL that has just truncated"
          + " it) is refused and the last snapshot kept. 1 accepts every reload")
  @Default.Double(0.5)
  @Range(min = 0, max = 1)
  @Placeholder("FRACTION")
  double getDimensionMaxShrink();

  void setDimensionMaxShrink(double value);
}
