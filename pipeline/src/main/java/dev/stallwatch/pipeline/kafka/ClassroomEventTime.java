package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.parse.SignalParser;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.joda.time.Duration;

/**
 * The event time of one classroom input topic, as its {@link EventTimePolicy} needs it: where a
 * message's time is ({@link EventTimePolicy.Reader}), when a record is too late for the composite
 * that reads the topic ({@link EventTimePolicy.TooLate}), and the topic's watermark bound. Each
 * reader reads the field exactly as the composite's parser does ({@link JsonRecord#time}: epoch
 * milliseconds or a SPEC time in the zone, nested objects also as strings holding JSON), so a
 * record stamped with its time is never taken for a late one downstream.
 *
 * <ul>
 *   <li>{@link #signals} ({@code timeline_client_topic}, C1 and C3): {@code data.timestamp}; too
 *       late by {@link SignalsConfig#tooLate}: its one-minute window's last millisecond plus C3's
 *       allowed lateness is before the watermark. Bound {@link SignalsConfig#watermarkBound}.
 *   <li>{@link #qos} ({@code qos_log}, C4): {@code extra.data_time}; too late when it is before the
 *       watermark at all. {@code CourseDuration} settles a (user, classroom)'s events up to a time
 *       once the watermark reaches it and its rows are final then (QualityConfig: "C4's source
 *       runs with an allowed lateness of 0"), so an event behind the watermark could only change a
 *       row already written. Bound {@link QualityConfig#courseWatermarkBound}.
 *   <li>{@link #av} ({@code agora_record}, C5): {@code messageCreateTime}; too late when its
 *       30-second window's last millisecond plus {@link QualityConfig#avLateness} is before the
 *       watermark — Beam's drop rule for {@code AvQuality}'s windows, taken before the grouping.
 *       Bound {@link QualityConfig#avWatermarkBound}.
 * </ul>
 *
 * A message whose time cannot be read is {@link EventTimePolicy#NO_TIME}: stamped with the
 * watermark and left to the composite, which ignores it or makes it a dead letter for its own
 * reason.
 */
public record ClassroomEventTime(
    String topicKind, EventTimePolicy.Reader reader, EventTimePolicy.TooLate tooLate, Duration watermarkBound)
    implements Serializable {

  /** C1/C3's input: {@code data.timestamp}, late for a closed minute. */
  public static ClassroomEventTime signals(SignalsConfig config) {
    return new ClassroomEventTime(
        "signals", new FieldTime(config.zoneId(), "data", "timestamp"), config::tooLate, config.watermarkBound());
  }

  /** C4's input: {@code extra.data_time}, late once behind the watermark. */
  public static ClassroomEventTime qos(QualityConfig config) {
    return new ClassroomEventTime(
        "qos", new FieldTime(config.zoneId(), "extra", "data_time"), EventTimePolicy.behindBy(Duration.ZERO),
        config.courseWatermarkBound());
  }

  /** C5's input: {@code messageCreateTime}, late for a closed 30-second window. */
  public static ClassroomEventTime av(QualityConfig config) {
    long lateness = config.avLateness().getMillis();
    return new ClassroomEventTime(
        "av", new FieldTime(config.zoneId(), null, "messageCreateTime"), (event, watermark) -> avTooLate(event, watermark, lateness),
        config.avWatermarkBound());
  }

  /**
   * C2's, C6's and C7's inputs: {@code update_time} (a user row has none: it is stamped with the
   * watermark), never too late — the latest row of an id wins whenever it comes, in state that
   * has no window.
   */
  public static ClassroomEventTime updates(String topicKind, String zoneId, Duration watermarkBound) {
    return new ClassroomEventTime(
        topicKind, new FieldTime(zoneId, null, "update_time"), (EventTimePolicy.TooLate) (event, watermark) -> false,
        watermarkBound);
  }

  /** C5's rule: the 30-second window of {@code eventMillis} ended, plus {@code latenessMillis}, before the watermark. */
  public static boolean avTooLate(long eventMillis, long watermarkMillis, long latenessMillis) {
    long size = QualityConfig.AV_WINDOW.getMillis();
    long lastMillisOfWindow = Math.floorDiv(eventMillis, size) * size + size - 1;
    return lastMillisOfWindow + latenessMillis < watermarkMillis;
  }

  /** A time field of the message, at the top or in one nested object. */
  static final class FieldTime implements EventTimePolicy.Reader {
    private static final long serialVersionUID = 1L;
    private final String zoneId;
    private final String object;
    private final String field;
    private transient ZoneId zone;

    FieldTime(String zoneId, String object, String field) {
      this.zoneId = zoneId;
      this.object = object;
      this.field = field;
    }

    @Override
    public long eventMillis(byte[] value) {
      if (zone == null) {
        zone = ZoneId.of(zoneId);
      }
      try {
        JsonRecord record = JsonRecord.parse(new String(value, StandardCharsets.UTF_8));
        if (object != null) {
          record = record.object(object);
          if (record == null) {
            return EventTimePolicy.NO_TIME;
          }
        }
        long millis = record.time(field, zone);
        return millis > SignalParser.LATEST_TIME ? EventTimePolicy.NO_TIME : millis;
      } catch (RuntimeException e) {
        return EventTimePolicy.NO_TIME; // the composite's parser gives the reason
      }
    }
  }
}
