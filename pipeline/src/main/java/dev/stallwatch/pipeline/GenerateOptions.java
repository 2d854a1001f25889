package dev.stallwatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code stallwatch generate}: realistic journeys written to a dump file. */
public interface GenerateOptions extends PipelineOptions {
  @Description("File to write: .csv (with a header row) or .jsonl, optionally .gz")
  @Validation.Required
  @Placeholder("FILE")
  String getOutput();

  void setOutput(String value);

  @Description("Number of applicants (about 7 rows each)")
  @Default.Integer(1000)
  int getApplicants();

  void setApplicants(int value);

  @Description("Seed of the random journeys: the same seed writes the same file")
  @Default.Long(1)
  long getSeed();

  void setSeed(long value);

  @Description("First day of the journeys (yyyy-MM-dd)")
  @Default.String("2024-03-19")
  String getFirstDay();

  void setFirstDay(String value);

  @Description("Number of days the journeys spread over")
  @Default.Integer(2)
  int getDays();

  void setDays(int value);

  @Description("Share of extra rows that are bad on purpose (0 to 1)")
  @Default.Double(0.0)
  double getBadRowRate();

  void setBadRowRate(double value);

  @Description("Zone of the written local times")
  @ShownDefault("Asia/Shanghai")
  @Placeholder("ZONE")
  String getTimeZone();

  void setTimeZone(String value);
}
