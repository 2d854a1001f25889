package dev.stallwatch.classroom.domain;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * One {@code qos_log} event of C4 (recorded-course duration): a user's event in a recorded
 * classroom. {@code dataTime} ({@code extra.data_time}) is its event time; {@code eventTime}
 * ({@code event_time}) is only carried to the output, as the earliest event's {@code event_time}.
 * Times are epoch milliseconds. {@code userType}, {@code subEvent} and {@code pptIndex} are empty
 * when the message has none.
 */
public record QosEvent(
    String classroomId,
    String userType,
    long userId,
    long eventTime,
    String subEvent,
    long dataTime,
    String pptIndex)
    implements Serializable {

  /** The {@code sub_event} that ends a recorded course (compared ignoring case). */
  public static final String PPT_SUCCESS = "PPT_SUCCESS";

  /**
   * Which of several events is "the earliest": by {@code dataTime}, then {@code eventTime}, then
   * user type, so that ties are broken the same way whatever order events arrive in.
   */
  public static final Comparator<QosEvent> EARLIEST_FIRST =
      Comparator.comparingLong(QosEvent::dataTime)
          .thenComparingLong(QosEvent::eventTime)
          .thenComparing(QosEvent::userType)
          .thenComparing(QosEvent::subEvent)
          .thenComparing(QosEvent::pptIndex);

  public QosEvent {
    Objects.requireNonNull(classroomId, "classroomId");
    Objects.requireNonNull(userType, "userType");
    Objects.requireNonNull(subEvent, "subEvent");
    Objects.requireNonNull(pptIndex, "pptIndex");
  }

  public boolean isSuccess() {
    return PPT_SUCCESS.equalsIgnoreCase(subEvent);
  }

  /** Coder of {@link QosEvent}: one frame of var-ints and strings. */
  public static final class QosEventCoder extends AtomicCoder<QosEvent> {
    private static final QosEventCoder INSTANCE = new QosEventCoder();

    public static QosEventCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(QosEvent e, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putString(e.classroomId);
      f.putString(e.userType);
      f.putLong(e.userId);
      f.putLong(e.eventTime);
      f.putString(e.subEvent);
      f.putLong(e.dataTime);
      f.putString(e.pptIndex);
      f.writeTo(out);
    }

    @Override
    public QosEvent decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new QosEvent(
          f.getString(), f.getString(), f.getLong(), f.getLong(), f.getString(), f.getLong(), f.getString());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
