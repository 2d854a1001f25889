package dev.stallwatch.pipeline.options;

import dev.stallwatch.classroom.domain.SignalsConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of {@code stallwatch classroom generate}: realistic school days of the classroom topics,
 * written to a directory of dumps or sent to Kafka. Beam keeps one registry of options per JVM: a
 * property also declared by another command's options ({@code seed}, {@code speed}, {@code
 * timeZone}, ...) carries the same {@code @Default} as there, or none.
 */
@Description("Classroom generate")
public interface ClassroomGenerateOptions extends PipelineOptions {
  @Description(
      "Directory to write one dump per input topic to, named by the topic (timeline_client_topic.jsonl,"
          + " qos_log.jsonl, agora_record.jsonl), each in due order: what 'classroom backfill --input' reads")
  @ShownDefault("none: give --output or --bootstrapServers")
  @Placeholder("DIR")
  String getOutput();

  void setOutput(String value);

  @Description("Write the dumps gzip-compressed (TOPIC.jsonl.gz)")
  @Default.Boolean(false)
  boolean getCompress();

  void setCompress(boolean value);

  @Description("Seed of the random days: the same seed and sizes give the same messages")
  @Default.Long(1)
  long getSeed();

  void setSeed(long value);

  @Description("Number of students (about 840 student classroom signals each a day)")
  @Default.Integer(200)
  @Range(min = 1, max = 10_000_000)
  int getStudents();

  void setStudents(int value);

  @Description(
      "About this many student classroom signals in all, instead of --students: the number of"
          + " students is chosen to give it (1000000 for the benchmark's dump); 0 keeps --students")
  @Default.Long(0)
  @Range(min = 0, max = 10_000_000_000L)
  long getSignals();

  void setSignals(long value);

  @Description("Number of rooms the students are in; 0 gives one room per 30 students")
  @Default.Integer(0)
  @Range(min = 0, max = 1_000_000)
  int getRooms();

  void setRooms(int value);

  // not 'days': stallwatch generate's --days has another @Default, and Beam refuses the two in one JVM
  @Description("Number of consecutive school days")
  @Default.Integer(1)
  @Range(min = 1, max = 366)
  int getSchoolDays();

  void setSchoolDays(int value);

  @Description("First school day (yyyy-MM-dd)")
  @Default.String("2024-03-19")
  @Placeholder("DATE")
  String getStartDate();

  void setStartDate(String value);

  @Description("Zone of the school day (lessons from 08:00 to 16:40 local time)")
  @ShownDefault(SignalsConfig.DEFAULT_ZONE)
  @Placeholder("ZONE")
  String getTimeZone();

  void setTimeZone(String value);

  @Description(
      "Kafka bootstrap servers: send the messages to the three topics, each when the simulated clock"
          + " reaches its due time, instead of writing dumps")
  @Placeholder("HOSTS")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic the timeline_client_topic messages are sent to")
  @ShownDefault("timeline_client_topic")
  @Placeholder("TOPIC")
  String getSignalsTopic();

  void setSignalsTopic(String value);

  @Description("Topic the qos_log messages are sent to")
  @ShownDefault("qos_log")
  @Placeholder("TOPIC")
  String getQosTopic();

  void setQosTopic(String value);

  @Description("Topic the agora_record messages are sent to")
  @ShownDefault("agora_record")
  @Placeholder("TOPIC")
  String getAvTopic();

  void setAvTopic(String value);

  @Description("How many times faster than the wall clock the school day is replayed")
  @Default.Double(60.0)
  @Placeholder("FACTOR")
  @Range(min = 0.001, max = 10_000_000)
  double getSpeed();

  void setSpeed(double value);

  @Description("Properties file of extra Kafka producer settings (SASL, SSL, credentials)")
  @Placeholder("FILE")
  String getKafkaProperties();

  void setKafkaProperties(String value);
}
