package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code stallwatch report}: a dump in, the funnel report's tables and page out. */
@Description("Report")
public interface ReportOptions extends StallOptions, DimensionOptions, DumpOptions {
  @Description(
      "Directory that receives the report: report.html, a .csv and a .json file per table (steps, alerts,"
          + " suppressed, summary; compare with --compare) and dead-letter*.jsonl")
  @Validation.Required
  @Placeholder("DIR")
  String getOutput();

  void setOutput(String value);

  @Description(
      "A second config file (rules, send window, once-per scope; the same time zone) to compare with the"
          + " current one: both run over the same dump in one job, and compare.csv shows, per day and route,"
          + " the alerts of each, those only one raises and the shift in time to alert")
  @Placeholder("CONFIG")
  String getCompare();

  void setCompare(String value);
}
