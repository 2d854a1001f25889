package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalRules;
import dev.stallwatch.text.Text;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * Reads one message of {@code timeline_client_topic} as C1 (CLASSROOM.md C1) under the common
 * reading rules of {@link JsonRecord}: field names case-insensitive, texts trimmed, numbers as text
 * and text as numbers, {@code data}, {@code data.msg} and {@code data.msg.msg_data} as objects or as
 * strings holding JSON. Each message is exactly one of:
 *
 * <ul>
 *   <li>a {@link Parsed signal}: {@code msgid = 305}, {@code msgtype = 116}, {@code role = 2}
 *       (compared as numbers: {@code "305"}, {@code 305} and {@code 305.0} are the same) and a rule
 *       of the event table matches its {@code msg_data};
 *   <li>{@link Ignored}: well formed, but not a student classroom signal — one of {@code
 *       data.msgid}, {@code data.msg.msgtype}, {@code data.role} is there and has another value,
 *       or no rule matches (a missing {@code msg_data} or field of it matches only empty cells).
 *       The topic carries every kind of client signal, so these are counted, not dead letters; a
 *       blank message is ignored as well;
 *   <li>{@link Dead a dead letter}, whose reason names the field's path ({@code data.timestamp:
 *       missing}): not a JSON object; {@code data} missing; a field read that has the wrong kind
 *       ({@code data.msg: not an object but a number}, a string that is not JSON); one of the three
 *       filter fields missing while the others that are there agree with a signal (it might be a
 *       signal, the job cannot tell); and, for a message that is a signal, its event time {@code
 *       data.timestamp} (epoch milliseconds or a SPEC time in the zone) missing or unusable, or
 *       {@code data.userid} or {@code data.roomId} (C3's key) missing, blank or holding a control
 *       character (no database column takes a NUL).
 * </ul>
 *
 * <p>Fields needed only by a signal are read only for one: a chat message without a timestamp is
 * ignored, not a dead letter. {@code createTime} is optional (empty when missing), so are the
 * {@code msg_data} fields. Values are compared case-sensitively, as the article's SQL did.
 */
public final class SignalParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Epoch milliseconds of 9999-12-31T23:59:59.999Z: a later event time is not a time. */
  public static final long LATEST_TIME = 253_402_300_799_999L;

  private final SignalRules rules;
  private final String zoneId;

  public SignalParser(SignalRules rules, ZoneId zone) {
    this.rules = rules;
    this.zoneId = zone.getId();
  }

  /** What one message is: a signal, ignored or a dead letter. */
  public sealed interface Outcome permits Parsed, Ignored, Dead {}

  /** A student classroom signal. */
  public record Parsed(Signal signal) implements Outcome {}

  /** A well-formed message that is not a student classroom signal; {@code why} for tests and logs. */
  public record Ignored(String why) implements Outcome {}

  /** A message that cannot be used; {@code reason} is its dead letter's. */
  public record Dead(String reason) implements Outcome {}

  public Outcome parse(Message message) {
    if (Text.isBlank(message.value())) {
      return new Ignored("blank");
    }
    try {
      return read(message);
    } catch (IllegalArgumentException e) {
      return new Dead(e.getMessage());
    }
  }

  private Outcome read(Message message) {
    JsonRecord root = JsonRecord.parse(message.value());
    JsonRecord data = root.object("data");
    if (data == null) {
      return new Dead("data: missing");
    }
    String msgid = present(data.text("msgid"));
    JsonRecord msg = data.object("msg");
    String msgtype = msg == null ? null : present(msg.text("msgtype"));
    String role = present(data.text("role"));
    if (differs(msgid, 305)) {
      return new Ignored("msgid " + msgid);
    }
    if (differs(msgtype, 116)) {
      return new Ignored("msgtype " + msgtype);
    }
    if (differs(role, 2)) {
      return new Ignored("role " + role);
    }
    if (msgid == null) {
      return new Dead(data.where("msgid") + ": missing");
    }
    if (msg == null) {
      return new Dead(data.where("msg") + ": missing");
    }
    if (msgtype == null) {
      return new Dead(msg.where("msgtype") + ": missing");
    }
    if (role == null) {
      return new Dead(data.where("role") + ": missing");
    }
    JsonRecord msgData = msg.object("msg_data");
    String targetId = field(msgData, "target_id");
    String targetType = field(msgData, "target_type");
    String action = field(msgData, "action");
    String subAction = field(msgData, "sub_action");
    String event = rules.eventOf(targetId, targetType, action, subAction);
    if (event == null) {
      return new Ignored("no rule matches");
    }
    long time = data.time("timestamp", ZoneId.of(zoneId));
    if (time > LATEST_TIME) {
      return new Dead(data.where("timestamp") + ": not a time: after 9999-12-31");
    }
    String userId = key(data, "userid");
    String roomId = key(data, "roomId");
    String createTime = root.text("createTime");
    return new Parsed(
        new Signal(
            message.key(),
            message.origin(),
            createTime == null ? "" : createTime,
            time,
            userId,
            roomId,
            "2",
            "305",
            "116",
            targetId,
            targetType,
            action,
            subAction,
            field(msgData, "page_index"),
            event));
  }

  /** The text, or null when it is missing or blank. */
  private static String present(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  /** Whether {@code text} is there and is not the number {@code expected}. */
  private static boolean differs(String text, long expected) {
    if (text == null) {
      return false;
    }
    if (text.equals(Long.toString(expected))) {
      return false;
    }
    try {
      return new BigDecimal(text).compareTo(BigDecimal.valueOf(expected)) != 0;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static String field(JsonRecord record, String name) {
    if (record == null) {
      return "";
    }
    String text = record.text(name);
    return text == null ? "" : text;
  }

  private static String key(JsonRecord data, String name) {
    String text = present(data.text(name));
    if (text == null) {
      throw new IllegalArgumentException(data.where(name) + ": missing");
    }
    int at = Text.firstControl(text);
    if (at >= 0) {
      throw new IllegalArgumentException(
          data.where(name) + ": control character " + Text.codePoint(text.charAt(at)) + " at " + (at + 1));
    }
    return text;
  }
}
