package dev.stallwatch.embedded;

import dev.stallwatch.pipeline.options.Range;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The classroom embedded default's own options: the day it replays, and how much it prints. */
@Description("Embedded classroom default")
public interface EmbeddedClassroomOptions extends PipelineOptions {
  @Description("Embedded default: students in the replayed school day (30 to a room; about 2,000 messages each)")
  @Default.Integer(40)
  @Range(min = 1, max = 100_000)
  int getReplayStudents();

  void setReplayStudents(int value);

  @Description("Embedded default: seed of the replayed school day")
  @Default.Long(1)
  long getReplaySeed();

  void setReplaySeed(long value);

  @Description("Embedded default: print every row and record as it lands, not only progress and a few of each")
  @Default.Boolean(false)
  boolean getVerbose();

  void setVerbose(boolean value);
}
