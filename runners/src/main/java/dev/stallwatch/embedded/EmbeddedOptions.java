package dev.stallwatch.embedded;

import dev.stallwatch.pipeline.options.Range;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The embedded default's own options: what it replays, and how much it prints. */
@Description("Embedded default")
public interface EmbeddedOptions extends PipelineOptions {
  @Description("Embedded default: applicants in the replayed trading day (about 7 rows each)")
  @Default.Integer(2000)
  @Range(min = 1, max = 1_000_000)
  int getReplayApplicants();

  void setReplayApplicants(int value);

  @Description("Embedded default: seed of the replayed journeys")
  @Default.Long(1)
  long getReplaySeed();

  void setReplaySeed(long value);

  @Description(
      "Embedded default: days the replayed journeys spread over; the summary gives the size of the"
          + " last checkpoint at the end of each simulated day")
  @Default.Integer(1)
  @Range(min = 1, max = 31)
  int getReplayDays();

  void setReplayDays(int value);

  @Description("Embedded default: print each alert as it arrives on its topic (mobile masked), not only progress")
  @Default.Boolean(false)
  boolean getVerbose();

  void setVerbose(boolean value);
}
