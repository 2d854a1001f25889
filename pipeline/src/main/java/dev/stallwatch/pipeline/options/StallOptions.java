package dev.stallwatch.pipeline.options;

import dev.stallwatch.domain.StallConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What every StallWatch job shares: the stall configuration and the time zone. */
@Description("Stall rules")
public interface StallOptions extends PipelineOptions {
  @Description(
      "Configuration file (JSON) for the catalog, rules, routes, send window, once-per-period"
          + " scope, time zone and allowed lateness")
  @ShownDefault("none: SPEC.md's defaults")
  @Placeholder("FILE")
  String getConfig();

  void setConfig(String value);

  @Description(
      "Zone of the input's local times and of alert dates")
  @ShownDefault(StallConfig.DEFAULT_ZONE + ", or the config file's timeZone")
  @Placeholder("ZONE")
  String getTimeZone();

  void setTimeZone(String value);

  @Description(
      "Grouping keys the applicants and mobiles are spread over; state lives per key, so a job"
          + " restored from a savepoint must keep the number")
  @Default.Integer(1024)
  @Range(min = 1, max = 65536)
  int getKeyBuckets();

  void setKeyBuckets(int value);
}
