package dev.stallwatch.pipeline.options;

import dev.stallwatch.pipeline.classroom.ClassroomTopics;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.pipeline.jdbc.OperationsTables;
import dev.stallwatch.pipeline.search.SearchSettings;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of {@code stallwatch classroom run}, the classroom streaming job: {@link
 * ClassroomOptions}, the {@link ClockOptions clock} and {@link SubmitOptions submission}, and its
 * Kafka, event-time, delivery and database options declared here rather than inherited from {@link
 * KafkaOptions}, {@link EventTimeOptions}, {@link ExactlyOnceOptions} and {@link JdbcOptions}: those
 * describe the stall job (its input topic, one out-of-orderness for rows, route topics and alerts,
 * dimension tables and their reloads), which would be wrong here or not apply. Where a name is the
 * same as theirs ({@code bootstrapServers}, {@code kafkaProperties}, {@code deadLetterTopic}, {@code
 * idleAfter}, {@code maxFutureSkew}, {@code exactlyOnce}, {@code sinkGroupId}, {@code jdbc...}) it
 * means the same and has the same type and default annotation, as Beam requires of one property
 * in one JVM; so {@code as(JdbcOptions.class)} and {@code as(ExactlyOnceOptions.class)} read these
 * values, and the launcher's checks of {@code run} apply unchanged. The embedded default, when a
 * launcher gives one, adds options of its own.
 */
@Description("Classroom streaming job")
public interface ClassroomRunOptions extends ClassroomOptions, ClockOptions, SubmitOptions {
  // Kafka

  @Description("Kafka bootstrap servers (host:port,...) of the classroom topics")
  @ShownDefault("none: the launcher's embedded classroom default, if it has one")
  @Placeholder("HOSTS")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "Properties file of extra Kafka client settings for the consumers and the producers (SASL, SSL,"
          + " credentials): keeps secrets off the command line")
  @Placeholder("FILE")
  String getKafkaProperties();

  void setKafkaProperties(String value);

  @Description("C1's input topic: the classroom client's timeline messages")
  @Default.String(ClassroomTopics.SIGNALS_IN)
  @Placeholder("TOPIC")
  String getSignalTopic();

  void setSignalTopic(String value);

  @Description("C4's input topic: quality-of-service events of recorded courses")
  @Default.String(ClassroomTopics.QOS)
  @Placeholder("TOPIC")
  String getQosTopic();

  void setQosTopic(String value);

  @Description("C5's input topic: audio/video state records of live classes")
  @Default.String(ClassroomTopics.AV)
  @Placeholder("TOPIC")
  String getAvTopic();

  void setAvTopic(String value);

  @Description("C2's input topic: the channel name dictionary")
  @Default.String(ClassroomTopics.LEVELS)
  @Placeholder("TOPIC")
  String getLevelTopic();

  void setLevelTopic(String value);

  @Description("C6's input topic: students' rows (id, channel_id, update_time)")
  @Default.String(ClassroomTopics.STUDENTS)
  @Placeholder("TOPIC")
  String getStudentTopic();

  void setStudentTopic(String value);

  @Description("C6's input topic: users' rows (id, name, register_date_time, status)")
  @Default.String(ClassroomTopics.USERS)
  @Placeholder("TOPIC")
  String getUserTopic();

  void setUserTopic(String value);

  @Description("C7's input topic: course orders")
  @Default.String(ClassroomTopics.ORDERS)
  @Placeholder("TOPIC")
  String getOrderTopic();

  void setOrderTopic(String value);

  @Description("C1's output topic: the flat student signals, each under its input record's key")
  @Default.String(ClassroomTopics.SIGNALS_OUT)
  @Placeholder("TOPIC")
  String getSignalOutputTopic();

  void setSignalOutputTopic(String value);

  @Description(
      "Topic that receives every classroom job's bad messages: raw text, topic/partition/offset,"
          + " reason")
  @ShownDefault(ClassroomTopics.DEAD_LETTERS)
  @Placeholder("TOPIC")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  // Event time

  @Description(
      "C1/C3: seconds of event time the signal topic's watermark trails the latest signal time a"
          + " partition has seen (how far out of order signals may arrive)")
  @Default.Integer(5)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getSignalWatermarkBound();

  void setSignalWatermarkBound(int value);

  @Description("C4: seconds the qos topic's watermark trails the latest extra.data_time a partition has seen")
  @Default.Integer(60)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getCourseWatermarkBound();

  void setCourseWatermarkBound(int value);

  @Description("C5: seconds the agora topic's watermark trails the latest messageCreateTime a partition has seen")
  @Default.Integer(60)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getAvWatermarkBound();

  void setAvWatermarkBound(int value);

  @Description(
      "Seconds without a message after which a partition counts as idle and its watermark follows"
          + " the clock (so the last windows of a quiet topic still close)")
  @Default.Integer(10)
  @Placeholder("SECONDS")
  @Range(min = 1, max = 604800, unit = "seconds")
  int getIdleAfter();

  void setIdleAfter(int value);

  @Description(
      "How far ahead of the job's clock a message's time may be, in seconds; a message further ahead"
          + " is a dead letter (reason future) and does not move the watermark")
  @Default.Integer(300)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getMaxFutureSkew();

  void setMaxFutureSkew(int value);

  // Delivery

  @Description(
      "Write C1's output topic exactly once: Kafka transactions that wait for a checkpoint to"
          + " complete, so a signal appears up to one checkpoint interval later and readers must use"
          + " isolation.level=read_committed. false writes it at least once: no such delay, but after a"
          + " failure signals written since the last checkpoint are written again. The dead-letter topic"
          + " is always written at least once (a repeat has the same origin); the tables are upserts")
  @Default.Boolean(true)
  boolean getExactlyOnce();

  void setExactlyOnce(boolean value);

  @Description(
      "Exactly once: prefix of the Kafka consumer group that holds the C1 sink's progress"
          + " (PREFIX-TOPIC). A job restored from a savepoint must keep it; a job started afresh (no"
          + " savepoint) on a topic an earlier job wrote needs a new one")
  @Default.String("stallwatch-sink")
  @Placeholder("PREFIX")
  String getSinkGroupId();

  void setSinkGroupId(String value);

  // Database

  @Description(
      "JDBC URL of the database of C3's, C4's and C5's tables (jdbc:mariadb:..., jdbc:mysql:...,"
          + " jdbc:postgresql:..., jdbc:h2:..., jdbc:oracle:...); missing tables are created from the"
          + " shipped DDL. Required with --bootstrapServers")
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
      "Java properties file of more JDBC driver properties, where secret ones belong; read where a"
          + " connection is made, so no value is in the job")
  @Placeholder("FILE")
  String getJdbcPropertiesFile();

  void setJdbcPropertiesFile(String value);

  @Description("SQL dialect of the database: mariadb (also MySQL), postgres, h2 or oracle")
  @ShownDefault("from the JDBC URL")
  @Placeholder("DIALECT")
  String getJdbcDialect();

  void setJdbcDialect(String value);

  @Description("C3's table, optionally schema.table")
  @Default.String(ClassroomTables.DEFAULT_SIGNAL_ANALYSIS)
  @Placeholder("TABLE")
  String getSignalAnalysisTable();

  void setSignalAnalysisTable(String value);

  @Description("C4's table, optionally schema.table")
  @Default.String(ClassroomTables.DEFAULT_TAKE_TIME)
  @Placeholder("TABLE")
  String getTakeTimeTable();

  void setTakeTimeTable(String value);

  @Description("C5's table, optionally schema.table")
  @Default.String(ClassroomTables.DEFAULT_AV_RECORD)
  @Placeholder("TABLE")
  String getAvRecordTable();

  void setAvRecordTable(String value);

  @Description("C2's key-value table (the level dictionary, by rowkey), optionally schema.table")
  @Default.String(OperationsTables.DEFAULT_LEVELS)
  @Placeholder("TABLE")
  String getLevelTable();

  void setLevelTable(String value);

  @Description("C6's table, written when no --searchUrl is given, optionally schema.table")
  @Default.String(OperationsTables.DEFAULT_REGISTRATIONS)
  @Placeholder("TABLE")
  String getRegistrationTable();

  void setRegistrationTable(String value);

  @Description("C7's table, optionally schema.table")
  @Default.String(OperationsTables.DEFAULT_STAFF_INDEX)
  @Placeholder("TABLE")
  String getStaffTable();

  void setStaffTable(String value);

  @Description(
      "C6's Elasticsearch or OpenSearch node, e.g. http://search:9200 (documents by _bulk, id uk,"
          + " external versions); without it C6 writes its table")
  @ShownDefault("none: C6 writes --registrationTable")
  @Placeholder("URL")
  String getSearchUrl();

  void setSearchUrl(String value);

  @Description("C6's search index")
  @Default.String(OperationsTables.DEFAULT_REGISTRATIONS)
  @Placeholder("INDEX")
  String getSearchIndex();

  void setSearchIndex(String value);

  @Description("User of the search node (basic authentication); none sends no credentials")
  @Placeholder("USER")
  String getSearchUser();

  void setSearchUser(String value);

  @Description(
      "File holding the search user's password (one line); without it the password is read from"
          + " the environment variable " + SearchSettings.DEFAULT_PASSWORD_ENV)
  @Placeholder("FILE")
  String getSearchPasswordFile();

  void setSearchPasswordFile(String value);

  @Description("Documents per _bulk request to the search node")
  @Default.Integer(SearchSettings.DEFAULT_BULK_SIZE)
  @Placeholder("DOCS")
  @Range(min = 1, max = 10000)
  int getSearchBulkSize();

  void setSearchBulkSize(int value);
}
