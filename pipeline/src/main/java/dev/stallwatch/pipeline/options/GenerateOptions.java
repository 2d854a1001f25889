package dev.stallwatch.pipeline.options;

import dev.stallwatch.domain.StallConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of {@code stallwatch generate}: realistic journeys written to a dump file or a topic. */
@Description("Generate")
public interface GenerateOptions extends PipelineOptions {
  @Description("File to write: .csv (with a header row) or .jsonl, optionally .gz")
  @ShownDefault("none: give --output or --bootstrapServers")
  @Placeholder("FILE")
  String getOutput();

  void setOutput(String value);

  @Description("Number of applicants (about 7 rows each)")
  @Default.Integer(1000)
  @Range(min = 1, max = 10_000_000)
  int getApplicants();

  void setApplicants(int value);

  @Description("Seed of the random journeys: the same seed writes the same file")
  @Default.Long(1)
  long getSeed();

  void setSeed(long value);

  @Description("First day of the journeys (yyyy-MM-dd)")
  @Default.String("2024-03-19")
  String getFirstDay();

  void setFirstDay(String value);

  @Description("Number of days the journeys spread over")
  @Default.Integer(2)
  @Range(min = 1, max = 366)
  int getDays();

  void setDays(int value);

  @Description("Share of extra rows that are bad on purpose (0 to 1)")
  @Default.Double(0.0)
  @Range(min = 0, max = 1)
  double getBadRowRate();

  void setBadRowRate(double value);

  @Description("Zone of the written local times")
  @ShownDefault(StallConfig.DEFAULT_ZONE)
  @Placeholder("ZONE")
  String getTimeZone();

  void setTimeZone(String value);

  @Description(
      "Kafka bootstrap servers: send the journeys to --topic as JSON messages, each when the"
          + " simulated clock reaches its time, instead of writing a file")
  @Placeholder("HOSTS")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic the journeys are sent to")
  @Placeholder("TOPIC")
  String getTopic();

  void setTopic(String value);

  @Description("How many times faster than the wall clock the journeys' day is replayed")
  @Default.Double(60.0)
  @Placeholder("FACTOR")
  @Range(min = 0.001, max = 10_000_000)
  double getSpeed();

  void setSpeed(double value);

  @Description("Largest delay, in seconds of event time, between a row's time and its sending")
  @Default.Integer(10)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 3600, unit = "seconds")
  int getMaxDelay();

  void setMaxDelay(int value);

  @Description("Properties file of extra Kafka producer settings (SASL, SSL, credentials)")
  @Placeholder("FILE")
  String getKafkaProperties();

  void setKafkaProperties(String value);
}
