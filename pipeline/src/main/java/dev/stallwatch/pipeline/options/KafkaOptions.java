package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the streaming job's Kafka is, its topics, and the client settings kept off the command line. */
@Description("Kafka")
public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers (host:port,...)")
  @ShownDefault("none: the embedded default (in-process Kafka, H2 and a replayed day)")
  @Placeholder("HOSTS")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic of the application table's change stream (JSON values)")
  @Placeholder("TOPIC")
  String getInputTopic();

  void setInputTopic(String value);

  @Description("Topic that receives bad messages: raw text, topic/partition/offset, reason")
  @Placeholder("TOPIC")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description(
      "Properties file of extra Kafka client settings for the consumer and the producers (SASL, SSL,"
          + " credentials): keeps secrets off the command line")
  @Placeholder("FILE")
  String getKafkaProperties();

  void setKafkaProperties(String value);
}
