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
 * One row of C5's table {@code user_av_record}: a 30-second window's audio or video quality for one
 * window key ({@link AvSample.Key}): {@code event_sum}, {@code event_count} and {@code event_avg} =
 * sum / count.
 *
 * <p>Upsert key: {@code start_time} and the window key. A record within the allowed lateness
 * rewrites its window's row with the new totals (the totals only grow, so of two versions of a row
 * the one with the larger count is the newer).
 *
 * <p>{@code start_time}, {@code end_time} and {@code create_time} are local {@code yyyy-MM-dd
 * HH:mm:ss} in the job's zone; {@code create_time} is the window's end — the event time at which the
 * row became known — not the time of processing (the article's {@code CURRENT_TIMESTAMP}), so a
 * replay writes identical rows.
 */
public record AvQualityRow(
    long startMillis,
    long endMillis,
    AvSample.Key key,
    long sum,
    long count,
    String startTime,
    String endTime,
    String createTime)
    implements Serializable {

  public AvQualityRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(endTime, "endTime");
    Objects.requireNonNull(createTime, "createTime");
    if (count < 1) {
      throw new IllegalArgumentException("a row counts at least one sample, not " + count);
    }
  }

  /** The row of the window [{@code startMillis}, {@code endMillis}) of {@code key}. */
  public static AvQualityRow of(long startMillis, long endMillis, AvSample.Key key, long sum, long count, ZoneId zone) {
    String end = EventTimes.dateTime(endMillis, zone);
    return new AvQualityRow(startMillis, endMillis, key, sum, count, EventTimes.dateTime(startMillis, zone), end, end);
  }

  /** {@code event_avg}: the mean sample. */
  public double avg() {
    return (double) sum / count;
  }

  /** One flat JSON object of the columns, in table order ({@code event_avg} as Java prints a double). */
  public String toJson() {
    return new JsonWriter(256)
        .field("start_time", startTime)
        .field("end_time", endTime)
        .field("user_id", key.userId())
        .field("web_server_id", key.channelId())
        .field("classroom_id", key.classroomId())
        .field("user_type", key.userType())
        .field("extra_uid", key.uid())
        .field("event", key.event())
        .field("event_sum", sum)
        .field("event_avg", Double.toString(avg()))
        .field("event_count", count)
        .field("create_time", createTime)
        .end();
  }

  /** Coder of {@link AvQualityRow}: one frame. */
  public static final class AvQualityRowCoder extends AtomicCoder<AvQualityRow> {
    private static final AvQualityRowCoder INSTANCE = new AvQualityRowCoder();

    public static AvQualityRowCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(AvQualityRow r, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(r.startMillis);
      f.putLong(r.endMillis);
      r.key.write(f);
      f.putLong(r.sum);
      f.putLong(r.count);
      f.putString(r.startTime);
      f.putString(r.endTime);
      f.putString(r.createTime);
      f.writeTo(out);
    }

    @Override
    public AvQualityRow decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new AvQualityRow(
          f.getLong(), f.getLong(), AvSample.Key.read(f), f.getLong(), f.getLong(), f.getString(), f.getString(), f.getString());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
