package dev.stallwatch.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of {@code stallwatch classroom backfill}: one dump per input topic in, one file per sink out. */
@Description("Classroom backfill")
public interface ClassroomBackfillOptions extends ClassroomOptions {
  @Description(
      "Directory of dumps, one per input topic, named by the topic: timeline_client_topic.jsonl,"
          + " qos_log.jsonl, agora_record.jsonl (optionally .gz, or TOPIC-PART.jsonl[.gz] for"
          + " several); one JSON message a line")
  @Validation.Required
  @Placeholder("DIR")
  String getInput();

  void setInput(String value);

  @Description(
      "Directory that receives one .jsonl per sink (timeline_analysis_student,"
          + " timeline_signal_analysis, user_enter_classroom_take_time, user_av_record) and"
          + " dead-letter.jsonl")
  @Validation.Required
  @Placeholder("DIR")
  String getOutput();

  void setOutput(String value);

  @Description("Print the summary as one JSON object instead of a table")
  @Default.Boolean(false)
  boolean getJsonSummary();

  void setJsonSummary(boolean value);
}
