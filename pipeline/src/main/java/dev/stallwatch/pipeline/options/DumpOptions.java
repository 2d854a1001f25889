package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The dump a batch command reads ({@code backfill}, {@code report}), and its progress. */
@Description("Dump")
public interface DumpOptions extends PipelineOptions {
  @Description(
      "The dump to read: a .csv file with a header row or a .jsonl file (one JSON object a"
          + " line), optionally .gz; a glob matches several")
  @Validation.Required
  @Placeholder("FILE")
  String getInput();

  void setInput(String value);

  @Description(
      "Show no progress on standard error (by default a redrawn line on a terminal, else a line every 10 s)")
  @Default.Boolean(false)
  boolean getQuiet();

  void setQuiet(boolean value);
}
