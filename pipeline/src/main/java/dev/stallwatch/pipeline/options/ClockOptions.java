package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The job's clock: the wall clock, or a simulated one shared with a replay. */
@Description("Clock")
public interface ClockOptions extends PipelineOptions {
  @Description(
      "Replay on a simulated clock: the local date-time (in the job's zone) the clock reads when the"
          + " job starts; empty runs on the wall clock")
  @Placeholder("yyyy-MM-ddTHH:mm:ss")
  String getSimulatedStart();

  void setSimulatedStart(String value);

  @Description(
      "How many times faster than the wall clock the simulated clock runs (with --simulatedStart,"
          + " or the embedded default's replay)")
  @Default.Double(1.0)
  @Placeholder("FACTOR")
  @Range(min = 0.001, max = 10_000_000)
  double getSimulatedSpeed();

  void setSimulatedSpeed(double value);

  @Description(
      "Wall time (epoch milliseconds) at which the simulated clock reads --simulatedStart; 0 means"
          + " when the job starts. Give the value 'generate' printed to share its clock")
  @Default.Long(0)
  @Placeholder("MILLIS")
  @Range(min = 0, max = Long.MAX_VALUE)
  long getSimulatedAnchor();

  void setSimulatedAnchor(long value);
}
