package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.Message;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * Stamps generated messages as a streaming source does (the stall job's {@code EventTimePolicy}):
 * the watermark trails the latest event time by {@code bound}; a record more than {@code lateness}
 * behind it, or one whose time cannot be read, is stamped with the watermark; any other with its
 * own time. Also turns the stamped messages into a {@link TestStream} that advances its watermark
 * as the source's moved.
 */
public final class QosStamps {
  private QosStamps() {}

  /** A message in arrival order with the event time its source reads (null: unreadable). */
  public record Arrival(Message message, Long eventMillis) {}

  /** The stamped messages and the source's watermark after each. */
  public record Stamped(List<TimestampedValue<Message>> values, List<Long> watermarks) {}

  public static Stamped stamp(List<Arrival> arrivals, long bound, long lateness) {
    long max = Long.MIN_VALUE;
    long watermark = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
    List<TimestampedValue<Message>> values = new ArrayList<>();
    List<Long> watermarks = new ArrayList<>();
    for (Arrival a : arrivals) {
      long stamp;
      if (a.eventMillis() == null) {
        stamp = watermark;
      } else {
        long t = a.eventMillis();
        if (t > max) {
          max = t;
          watermark = Math.max(watermark, max - bound);
        }
        stamp = t + lateness < watermark ? watermark : t;
      }
      values.add(TimestampedValue.of(a.message(), new Instant(stamp)));
      watermarks.add(watermark);
    }
    return new Stamped(values, watermarks);
  }

  /** The messages in {@code chunk}s, the watermark advanced after each chunk as far as the source's. */
  public static TestStream<Message> stream(Stamped stamped, int chunk) {
    TestStream.Builder<Message> b = TestStream.create(Message.MessageCoder.of());
    long advanced = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
    List<TimestampedValue<Message>> values = stamped.values();
    for (int from = 0; from < values.size(); from += chunk) {
      int to = Math.min(values.size(), from + chunk);
      List<TimestampedValue<Message>> part = values.subList(from, to);
      @SuppressWarnings("unchecked")
      TimestampedValue<Message>[] rest = part.subList(1, part.size()).toArray(new TimestampedValue[0]);
      b = b.addElements(part.get(0), rest);
      long w = stamped.watermarks().get(to - 1);
      if (w > advanced) {
        b = b.advanceWatermarkTo(new Instant(w));
        advanced = w;
      }
    }
    return b.advanceWatermarkToInfinity();
  }

  /** A JSON string literal. */
  static String q(String s) {
    StringBuilder sb = new StringBuilder();
    dev.stallwatch.text.JsonWriter.quote(s, sb);
    return sb.toString();
  }
}
