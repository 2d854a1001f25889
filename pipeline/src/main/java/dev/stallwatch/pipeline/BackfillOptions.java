package dev.stallwatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code stallwatch backfill}: a dump in, alerts and dead letters out. */
public interface BackfillOptions extends PipelineOptions, StallOptions {
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

  @Description("Blacklist CSV with a header naming id_no and/or mobile_tel")
  @Placeholder("CSV")
  String getBlacklist();

  void setBlacklist(String value);

  @Description("Channel dimension CSV: channel_code,channel_name; without it channel names are empty")
  @Placeholder("CSV")
  String getChannels();

  void setChannels(String value);

  @Description("Print the summary as one JSON object instead of a table")
  @Default.Boolean(false)
  boolean getJsonSummary();

  void setJsonSummary(boolean value);
}
