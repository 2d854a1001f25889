package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the Kafka source turns its rows' times into a watermark. */
@Description("Event time")
public interface EventTimeOptions extends PipelineOptions {
  @Description(
      "How far out of order rows may arrive, in seconds of event time: the watermark trails by this")
  @Default.Integer(30)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getMaxOutOfOrderness();

  void setMaxOutOfOrderness(int value);

  @Description(
      "Seconds without a record after which a partition counts as idle and its watermark follows"
          + " the clock")
  @Default.Integer(10)
  @Placeholder("SECONDS")
  @Range(min = 1, max = 604800, unit = "seconds")
  int getIdleAfter();

  void setIdleAfter(int value);

  @Description(
      "How far ahead of the job's clock a row's time may be, in seconds; a row further ahead is a"
          + " dead letter (reason future) and does not move the watermark")
  @Default.Integer(300)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getMaxFutureSkew();

  void setMaxFutureSkew(int value);
}
