package dev.stallwatch.pipeline.options;

import dev.stallwatch.classroom.domain.SignalsConfig;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What every classroom job shares (CLASSROOM.md C1, C3, C4, C5): the zone, C1's event table, the
 * lateness and idle times. {@code timeZone} has no {@code @Default}: the stall options declare the
 * same property without one, and Beam wants the two to agree in one JVM.
 * The watermark bounds are the streaming job's own; a backfill has none.
 */
@Description("Classroom jobs")
public interface ClassroomOptions extends PipelineOptions {
  @Description("Zone of every local time column (start_time, create_time, ...)")
  @ShownDefault(SignalsConfig.DEFAULT_ZONE)
  @Placeholder("ZONE")
  String getTimeZone();

  void setTimeZone(String value);

  @Description(
      "C1's event table: a text file, one rule a line, 'event | target_id | target_type | action |"
          + " sub_action', an empty cell matching anything, the first matching rule winning")
  @ShownDefault("none: CLASSROOM.md C1's seven rules")
  @Placeholder("FILE")
  String getSignalRules();

  void setSignalRules(String value);

  @Description(
      "C3: seconds after a one-minute window's end that a signal still updates its row; a later"
          + " one is a dead letter (reason late)")
  @Default.Integer(0)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getSignalLateness();

  void setSignalLateness(int value);

  @Description(
      "C5: seconds after a 30-second window's end that a record still updates its row; a later"
          + " one is a dead letter (reason late)")
  @Default.Integer(0)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 604800, unit = "seconds")
  int getAvLateness();

  void setAvLateness(int value);

  @Description(
      "C4: seconds of event time without an event after which a (user, classroom) is forgotten"
          + " and its next event starts a new visit")
  @Default.Integer(86400)
  @Placeholder("SECONDS")
  @Range(min = 1, max = 604800, unit = "seconds")
  int getCourseIdle();

  void setCourseIdle(int value);

  @Description(
      "C6: a student whose user name contains one of these (comma-separated, any case) is a test"
          + " account and counts nowhere")
  @Default.String("测试,test")
  @Placeholder("TEXT,...")
  String getRegistrationNameContains();

  void setRegistrationNameContains(String value);

  @Description("C6: a student whose user name starts with one of these (comma-separated) counts nowhere")
  @Default.String("DM__")
  @Placeholder("PREFIX,...")
  String getRegistrationNamePrefixes();

  void setRegistrationNamePrefixes(String value);

  @Description("C6: the user status that counts; a user of any other status counts nowhere")
  @Default.String("NORMAL")
  @Placeholder("STATUS")
  String getRegistrationStatus();

  void setRegistrationStatus(String value);

  @Description(
      "C6: seconds of event time after a student's latest row that its state is kept; a row after"
          + " that counts the student anew. 0 keeps it for good")
  @Default.Long(0)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 316_224_000, unit = "seconds")
  long getRegistrationTtl();

  void setRegistrationTtl(long value);

  @Description(
      "C7: seconds after the end of an order's confirmation day that a change of the order still"
          + " moves its consultant's count")
  @Default.Long(604800)
  @Placeholder("SECONDS")
  @Range(min = 0, max = 31_622_400, unit = "seconds")
  long getOrderLateness();

  void setOrderLateness(long value);
}
