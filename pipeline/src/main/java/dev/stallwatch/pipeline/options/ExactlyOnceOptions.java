package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How the route topics are written: exactly once through Kafka transactions, or at least once. */
@Description("Delivery to the route topics")
public interface ExactlyOnceOptions extends PipelineOptions {
  @Description(
      "Write the route topics exactly once: Kafka transactions that wait for a checkpoint to"
          + " complete, so an alert appears up to one checkpoint interval later, and readers must use"
          + " isolation.level=read_committed. false writes them at least once: no such delay, but after"
          + " a failure alerts written since the last checkpoint are written again. The dead-letter"
          + " topic is always written at least once (a repeat has the same origin)")
  @Default.Boolean(true)
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
}
