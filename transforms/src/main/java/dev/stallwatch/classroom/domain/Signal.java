package dev.stallwatch.classroom.domain;

import dev.stallwatch.domain.StreamCodec;
import dev.stallwatch.text.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * One student classroom signal, C1's output (CLASSROOM.md C1): the input record's {@code key}
 * (null when it had none; C1 writes its Kafka record under the same key), the {@code origin} of the
 * message it came from (for dead letters further on), and the fields of C1's flat JSON value.
 *
 * <p>{@code timeStamp} is the event time, epoch milliseconds of the message's {@code
 * data.timestamp}. The article wrote {@code NOW()*1000} there, the time of processing, so a replay
 * wrote other values and C3's minutes counted when the job ran rather than when the student acted.
 *
 * <p>{@code role}, {@code msgId} and {@code msgType} are always {@code 2}, {@code 305} and {@code
 * 116} in their canonical spelling (a student classroom signal has those values, however the input
 * wrote the number). The other texts are the input's, trimmed; a field the input did not have is
 * the empty text.
 */
public record Signal(
    String key,
    String origin,
    String messageCreateTime,
    long timeStamp,
    String userId,
    String roomId,
    String role,
    String msgId,
    String msgType,
    String targetId,
    String targetType,
    String action,
    String subAction,
    String pageIndex,
    String event)
    implements Serializable {

  public Signal {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(messageCreateTime, "messageCreateTime");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(msgId, "msgId");
    Objects.requireNonNull(msgType, "msgType");
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(targetType, "targetType");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(subAction, "subAction");
    Objects.requireNonNull(pageIndex, "pageIndex");
    Objects.requireNonNull(event, "event");
  }

  /**
   * C1's output value: one flat JSON object with the fields in CLASSROOM.md's order, {@code
   * timeStamp} a number and every other field a string (as the article wrote them).
   */
  public String toJson() {
    return new JsonWriter(256)
        .field("messageCreateTime", messageCreateTime)
        .field("timeStamp", timeStamp)
        .field("userId", userId)
        .field("roomId", roomId)
        .field("role", role)
        .field("msgId", msgId)
        .field("msgType", msgType)
        .field("targetId", targetId)
        .field("targetType", targetType)
        .field("action", action)
        .field("subAction", subAction)
        .field("pageIndex", pageIndex)
        .field("event", event)
        .end();
  }

  /**
   * What makes two signals the same signal: every field of the output value. The key and origin
   * are transport: a message a producer sent twice differs in its offset, not in what the student
   * did. C3 counts a signal once however often it arrives (see {@code ClassroomPerformance}).
   */
  public String identity() {
    return toJson();
  }

  /** Coder of {@link Signal}: one frame, the key behind a flag. Deterministic. */
  public static final class SignalCoder extends AtomicCoder<Signal> {
    private static final SignalCoder INSTANCE = new SignalCoder();

    public static SignalCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Signal s, OutputStream out) throws IOException {
      StreamCodec.Frame f = StreamCodec.frame();
      f.putLong(s.key == null ? 0 : 1);
      if (s.key != null) {
        f.putString(s.key);
      }
      f.putString(s.origin);
      f.putString(s.messageCreateTime);
      f.putLong(s.timeStamp);
      f.putString(s.userId);
      f.putString(s.roomId);
      f.putString(s.role);
      f.putString(s.msgId);
      f.putString(s.msgType);
      f.putString(s.targetId);
      f.putString(s.targetType);
      f.putString(s.action);
      f.putString(s.subAction);
      f.putString(s.pageIndex);
      f.putString(s.event);
      f.writeTo(out);
    }

    @Override
    public Signal decode(InputStream in) throws IOException {
      StreamCodec.Frame f = StreamCodec.readFrame(in);
      String key = f.getLong() == 1 ? f.getString() : null;
      return new Signal(
          key,
          f.getString(),
          f.getString(),
          f.getLong(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString(),
          f.getString());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
