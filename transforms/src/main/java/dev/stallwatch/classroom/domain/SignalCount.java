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
 * One row of C3's table {@code timeline_signal_analysis} (CLASSROOM.md C3): how many signals of
 * one {@link Key} (user, room as {@code webserver_id}, role, event) fell in one minute of event
 * time.
 *
 * <p>Times. The window is {@code [startMillis, endMillis)}, one minute aligned to the epoch's
 * minutes. {@link #startTime()}, {@link #endTime()} and {@link #createTime()} are local {@code
 * yyyy-MM-dd HH:mm:ss} in the configured zone (default Asia/Shanghai), the form a MySQL {@code
 * DATETIME}/{@code TIMESTAMP} column takes; {@code end_time} is the first instant after the window,
 * as the article's {@code TUMBLE_END}. The epoch milliseconds are kept too, for a sink that writes
 * instants. In a zone with daylight saving, the repeated hour's minutes share their local start
 * text and so the upsert key: run such a zone's table in UTC.
 *
 * <p>{@code create_time} is not the time of writing (the article's {@code CURRENT_TIMESTAMP}, which
 * a replay changes): it is the latest event time among the signals counted. That is a function of
 * the counted signals alone, so a replay, a retried bundle or another arrival order writes the
 * identical row, and it still moves forward when a late signal updates the row.
 *
 * <p>A window's rows are emitted once per pane, accumulating: a later pane of the same upsert key
 * counts every signal of the earlier ones, so {@code event_count} never goes down along a key's
 * panes and a sink may keep the row with the greatest count even if panes reach it out of order.
 */
public record SignalCount(
    long startMillis,
    long endMillis,
    long createMillis,
    String zoneId,
    String webserverId,
    String userId,
    String role,
    String event,
    long eventCount)
    implements Serializable {

  public SignalCount {
    Objects.requireNonNull(zoneId, "zoneId");
    Objects.requireNonNull(webserverId, "webserverId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(event, "event");
  }

  /** C3's grouping key: ({@code userId}, {@code roomId} as {@code webserver_id}, {@code role}, {@code event}). */
  public record Key(String webserverId, String userId, String role, String event) implements Serializable {
    public Key {
      Objects.requireNonNull(webserverId, "webserverId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(event, "event");
    }

    public static Key of(Signal s) {
      return new Key(s.roomId(), s.userId(), s.role(), s.event());
    }
  }

  /** The table's upsert key: ({@code start_time, webserver_id, user_id, role, event}). */
  public record UpsertKey(String startTime, String webserverId, String userId, String role, String event)
      implements Serializable {}

  public UpsertKey upsertKey() {
    return new UpsertKey(startTime(), webserverId, userId, role, event);
  }

  public String startTime() {
    return EventTimes.dateTime(startMillis, ZoneId.of(zoneId));
  }

  public String endTime() {
    return EventTimes.dateTime(endMillis, ZoneId.of(zoneId));
  }

  public String createTime() {
    return EventTimes.dateTime(createMillis, ZoneId.of(zoneId));
  }

  /** The row as one JSON object of the table's columns (times as local text), for logs and files. */
  public String toJson() {
    return new JsonWriter(192)
        .field("start_time", startTime())
        .field("end_time", endTime())
        .field("webserver_id", webserverId)
        .field("user_id", userId)
        .field("role", role)
        .field("event", event)
        .field("event_count", eventCount)
        .field("create_time", createTime())
        .end();
  }

  /** Coder of {@link Key}. Deterministic, so it may key a grouping. */
  public static final class KeyCoder extends AtomicCoder<Key> {
    private static final KeyCoder INSTANCE = new KeyCoder();

    public static KeyCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Key k, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putString(k.webserverId());
      f.putString(k.userId());
      f.putString(k.role());
      f.putString(k.event());
      f.writeTo(out);
    }

    @Override
    public Key decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new Key(f.getString(), f.getString(), f.getString(), f.getString());
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder of {@link SignalCount}. Deterministic. */
  public static final class SignalCountCoder extends AtomicCoder<SignalCount> {
    private static final SignalCountCoder INSTANCE = new SignalCountCoder();

    public static SignalCountCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SignalCount c, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(c.startMillis);
      f.putLong(c.endMillis);
      f.putLong(c.createMillis);
      f.putString(c.zoneId);
      f.putString(c.webserverId);
      f.putString(c.userId);
      f.putString(c.role);
      f.putString(c.event);
      f.putLong(c.eventCount);
      f.writeTo(out);
    }

    @Override
    public SignalCount decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      return new SignalCount(
          f.getLong(),
          f.getLong(),
          f.getLong(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getLong());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
