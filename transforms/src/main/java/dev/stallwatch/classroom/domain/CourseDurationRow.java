package dev.stallwatch.classroom.domain;

import dev.stallwatch.domain.StreamCodec;
import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.ZoneId;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * One row of C4's table {@code user_enter_classroom_take_time}: how long a user took from the
 * earliest event of their visit to a recorded classroom to a {@code PPT_SUCCESS}.
 *
 * <p>Upsert key: ({@code userId}, {@code classroomId}, {@code successMillis}); the success time is
 * kept to the millisecond (epoch ms), so two successes within one second are two rows.
 *
 * <p>Columns: {@code spend_time} in milliseconds; {@code event_time} = the earliest event's {@code
 * event_time}; {@code create_time} = the success time. Both are local {@code yyyy-MM-dd HH:mm:ss} in
 * the job's zone. {@code create_time} is the event time at which the row became known — never the
 * time of processing, as the article's {@code CURRENT_TIMESTAMP} was — so a replay writes
 * identical rows.
 */
public record CourseDurationRow(
    long userId,
    String classroomId,
    String userType,
    long spendMillis,
    long eventTimeMillis,
    long successMillis,
    String eventTime,
    String createTime)
    implements Serializable {

  public CourseDurationRow {
    Objects.requireNonNull(classroomId, "classroomId");
    Objects.requireNonNull(userType, "userType");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(createTime, "createTime");
  }

  /** The row of a success at {@code successMillis} whose visit began with {@code earliest}. */
  public static CourseDurationRow of(QosEvent earliest, QosEvent success, ZoneId zone) {
    return new CourseDurationRow(
        success.userId(),
        success.classroomId(),
        earliest.userType(),
        success.dataTime() - earliest.dataTime(),
        earliest.eventTime(),
        success.dataTime(),
        EventTimes.dateTime(earliest.eventTime(), zone),
        EventTimes.dateTime(success.dataTime(), zone));
  }

  /** One flat JSON object of the columns and the key, fields in table order. */
  public String toJson() {
    return new JsonWriter(160)
        .field("user_id", userId)
        .field("classroom_id", classroomId)
        .field("user_type", userType)
        .field("spend_time", spendMillis)
        .field("event_time", eventTime)
        .field("success_time", successMillis)
        .field("create_time", createTime)
        .end();
  }

  /** Coder of {@link CourseDurationRow}: one frame. */
  public static final class CourseDurationRowCoder extends AtomicCoder<CourseDurationRow> {
    private static final CourseDurationRowCoder INSTANCE = new CourseDurationRowCoder();

    public static CourseDurationRowCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(CourseDurationRow r, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(r.userId);
      f.putString(r.classroomId);
      f.putString(r.userType);
      f.putLong(r.spendMillis);
      f.putLong(r.eventTimeMillis);
      f.putLong(r.successMillis);
      f.putString(r.eventTime);
      f.putString(r.createTime);
      f.writeTo(out);
    }

    @Override
    public CourseDurationRow decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new CourseDurationRow(
          f.getLong(), f.getString(), f.getString(), f.getLong(), f.getLong(), f.getLong(), f.getString(), f.getString());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
