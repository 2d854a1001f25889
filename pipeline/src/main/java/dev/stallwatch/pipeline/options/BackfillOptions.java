package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code stallwatch backfill}: a dump in, alerts and dead letters out. */
@Description("Backfill")
public interface BackfillOptions extends StallOptions, DimensionOptions {
  @Description(
      "The dump to backfill: a .csv file with a header row or a .jsonl file (one JSON object a"
          + " line), optionally .gz; a glob matches several")
  @Validation.Required
  @Placeholder("FILE")
  String getInput();

  void setInput(String value);

  @Description(
      "Directory that receives alerts*.jsonl (one alert a line) and dead-letter*.jsonl (one bad"
          + " row a line)")
  @Validation.Required
  @Placeholder("DIR")
  String getOutput();

  void setOutput(String value);

  @Description(
      "Show no progress on standard error (by default a redrawn line on a terminal, else a line every 10 s)")
  @Default.Boolean(false)
  boolean getQuiet();

  void setQuiet(boolean value);

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
