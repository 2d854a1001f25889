package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The dimension files a job reads at start: blacklist and channel names. */
@Description("Dimension files")
public interface DimensionOptions extends PipelineOptions {
  @Description("Blacklist CSV with a header naming id_no and/or mobile_tel")
  @Placeholder("CSV")
  String getBlacklist();

  void setBlacklist(String value);

  @Description("Channel dimension CSV: channel_code,channel_name; without it channel names are empty")
  @Placeholder("CSV")
  String getChannels();

  void setChannels(String value);
}
