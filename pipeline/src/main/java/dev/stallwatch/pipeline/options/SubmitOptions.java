package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Whether the command waits for the streaming job it submitted. */
@Description("Submission")
public interface SubmitOptions extends PipelineOptions {
  @Description(
      "Return once the job is submitted, leaving it to run on the cluster, instead of waiting for it"
          + " to end; `flink run -d` sets it")
  @Default.Boolean(false)
  boolean getDetached();

  void setDetached(boolean value);
}
