package dev.stallwatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code stallwatch run}: the streaming job on Kafka. */
public interface RunOptions extends StallOptions, DimensionOptions {
  @Description("Kafka bootstrap servers (host:port,...)")
  @Validation.Required
  @Placeholder("HOSTS")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic of the application table's change stream (JSON values)")
  @Default.String("rt_crhkh_crh_wskh_userqueryextinfo")
  @Placeholder("TOPIC")
  String getInputTopic();

  void setInputTopic(String value);

  @Description("Topic that receives bad messages: raw text, topic/partition/offset, reason")
  @Default.String("stallwatch_dead_letter")
  @Placeholder("TOPIC")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description("How far out of order rows may arrive, in seconds: the watermark trails by this")
  @Default.Integer(30)
  @Placeholder("SECONDS")
  int getMaxOutOfOrderness();

  void setMaxOutOfOrderness(int value);

  @Description(
      "Seconds without a record after which a partition counts as idle and its watermark follows"
          + " the clock")
  @Default.Integer(10)
  @Placeholder("SECONDS")
  int getIdleAfter();

  void setIdleAfter(int value);

  @Description("Stop after this many input records (a bounded replay); 0 runs until stopped")
  @Default.Long(0)
  @Placeholder("N")
  long getMaxRecords();

  void setMaxRecords(long value);
}
