package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code stallwatch backfill}: a dump in, alerts and dead letters out. */
@Description("Backfill")
public interface BackfillOptions extends StallOptions, DimensionOptions, DumpOptions {
  @Description(
      "Directory that receives alerts*.jsonl (one alert a line) and dead-letter*.jsonl (one bad"
          + " row a line)")
  @Validation.Required
  @Placeholder("DIR")
  String getOutput();

  void setOutput(String value);

  @Description(
      "How stalls are found: sorted (one grouping by mobile; each bucket's applicants decided in SPEC"
          + " order) or windows (the streaming job's session windows and once-per-period state, run in"
          + " batch); both give the same alerts")
  @Default.String("sorted")
  @Placeholder("ENGINE")
  String getEngine();

  void setEngine(String value);

  @Description("Print the summary as one JSON object instead of a table")
  @Default.Boolean(false)
  boolean getJsonSummary();

  void setJsonSummary(boolean value);
}
