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

  @Description("Extra JDBC driver properties, key=value;key=value (TLS settings, timeouts)")
  @Placeholder("PROPS")
  String getJdbcProperties();

  void setJdbcProperties(String value);

  @Description("SQL dialect of the database: oracle, postgres or h2")
  @ShownDefault("from the JDBC URL")
  @Placeholder("DIALECT")
  String getJdbcDialect();

  void setJdbcDialect(String value);

  @Description("Seconds between reloads of the blacklist, existing-customer and channel tables")
  @Default.Integer(600)
  @Placeholder("SECONDS")
  int getSideInputRefresh();

  void setSideInputRefresh(int value);
}
