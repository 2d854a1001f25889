package dev.stallwatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code stallwatch run}: the streaming job on Kafka. */
public interface RunOptions extends StallOptions, DimensionOptions {
  @Description("Kafka bootstrap servers (host:port,...)")
  @ShownDefault("none: the embedded default (in-process Kafka, H2 and a replayed day)")
  @Placeholder("HOSTS")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic of the application table's change stream (JSON values)")
  @ShownDefault("rt_crhkh_crh_wskh_userqueryextinfo, or the config file's io.inputTopic")
  @Placeholder("TOPIC")
  String getInputTopic();

  void setInputTopic(String value);

  @Description("Topic that receives bad messages: raw text, topic/partition/offset, reason")
  @ShownDefault("stallwatch_dead_letter, or the config file's io.deadLetterTopic")
  @Placeholder("TOPIC")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description(
      "How far out of order rows may arrive, in seconds of event time: the watermark trails by this")
  @ShownDefault("30; 1.5 wall seconds of the simulated clock for the embedded default")
  @Placeholder("SECONDS")
  Integer getMaxOutOfOrderness();

  void setMaxOutOfOrderness(Integer value);

  @Description(
      "Seconds without a record after which a partition counts as idle and its watermark follows"
          + " the clock")
  @ShownDefault("10; 1 wall second of the simulated clock for the embedded default")
  @Placeholder("SECONDS")
  Integer getIdleAfter();

  void setIdleAfter(Integer value);

  @Description(
      "How far ahead of the job's clock a row's time may be, in seconds; a row further ahead is a"
          + " dead letter (reason future) and does not move the watermark")
  @Default.Integer(300)
  @Placeholder("SECONDS")
  int getMaxFutureSkew();

  void setMaxFutureSkew(int value);

  @Description(
      "Write the route topics exactly once: Kafka transactions that wait for a checkpoint to"
          + " complete, so an alert appears up to one checkpoint interval later, and readers must use"
          + " isolation.level=read_committed. false writes them at least once: no such delay, but after"
          + " a failure alerts written since the last checkpoint are written again. The dead-letter"
          + " topic is always written at least once (a repeat has the same origin)")
  @ShownDefault("true; false for the embedded default (at 1500x a checkpoint interval is hours of its day)")
  @Default.Boolean(true)
  @Placeholder("true|false")
  boolean getExactlyOnce();

  void setExactlyOnce(boolean value);

  @Description(
      "Exactly-once sinks: prefix of the Kafka consumer groups that hold each sink's progress, one"
          + " group per topic (PREFIX-TOPIC). A job restored from a savepoint must keep it; a job"
          + " started afresh (no savepoint) on topics an earlier job wrote needs a new one")
  @Default.String("stallwatch-sink")
  @Placeholder("PREFIX")
  String getSinkGroupId();

  void setSinkGroupId(String value);

  @Description(
      "Properties file of extra Kafka client settings for the consumer and the producers (SASL, SSL,"
          + " credentials): keeps secrets off the command line")
  @Placeholder("FILE")
  String getKafkaProperties();

  void setKafkaProperties(String value);

  @Description(
      "Replay on a simulated clock: the local date-time (in the job's zone) the clock reads when the"
          + " job starts; empty runs on the wall clock")
  @Placeholder("yyyy-MM-ddTHH:mm:ss")
  String getSimulatedStart();

  void setSimulatedStart(String value);

  @Description(
      "How many times faster than the wall clock the simulated clock runs (with --simulatedStart,"
          + " or the embedded default's replay)")
  @ShownDefault("1; 1500 for the embedded default")
  @Placeholder("FACTOR")
  Double getSimulatedSpeed();

  void setSimulatedSpeed(Double value);

  @Description(
      "Wall time (epoch milliseconds) at which the simulated clock reads --simulatedStart; 0 means"
          + " when the job starts. Give the value 'generate' printed to share its clock")
  @Default.Long(0)
  @Placeholder("MILLIS")
  long getSimulatedAnchor();

  void setSimulatedAnchor(long value);

  @Description("Embedded default: applicants in the replayed trading day (about 7 rows each)")
  @Default.Integer(2000)
  @Placeholder("N")
  int getReplayApplicants();

  void setReplayApplicants(int value);

  @Description("Embedded default: seed of the replayed journeys")
  @Default.Long(1)
  @Placeholder("N")
  long getReplaySeed();

  void setReplaySeed(long value);

  @Description(
      "Embedded default: days the replayed journeys spread over; the summary gives the size of the"
          + " last checkpoint at the end of each simulated day")
  @Default.Integer(1)
  @Placeholder("N")
  int getReplayDays();

  void setReplayDays(int value);

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
