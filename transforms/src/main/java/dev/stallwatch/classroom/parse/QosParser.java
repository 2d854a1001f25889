package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QosEvent;
import dev.stallwatch.text.Text;
import java.io.Serializable;
import java.time.ZoneId;

/**
 * Reads a {@code qos_log} message (CLASSROOM.md C4) into a {@link QosEvent}, by the common reading
 * rules of {@link JsonRecord}; {@code extra} and {@code extra.msg} may be objects or strings holding
 * JSON.
 *
 * <p>C4 needs, in this order (the first missing or unusable one is the dead letter's reason):
 * {@code user_id} (a whole number: the table's column is a BIGINT), {@code classroom_id} (not
 * blank), {@code extra.data_time} (the event time) and {@code event_time} (the output's {@code
 * event_time}; epoch ms or a SPEC time). {@code user_type} and {@code sub_event} may be missing
 * (empty): every event of a user in a classroom counts as a possible start, whatever its type — the
 * article joined the whole topic — and one without {@code sub_event} is simply no success. {@code
 * extra.msg.pptIndex} is carried but not needed: an unreadable {@code extra.msg} leaves it empty
 * rather than losing the event. C4 ignores no well-formed message.
 */
public final class QosParser implements Serializable {
  private final String zoneId;
  private transient ZoneId zone;

  public QosParser(ZoneId zone) {
    this.zoneId = zone.getId();
    this.zone = zone;
  }

  /** An event, or the reason it is a dead letter. */
  public record Parsed(QosEvent event, String reason) {
    public boolean ok() {
      return event != null;
    }
  }

  public Parsed parse(Message message) {
    try {
      return new Parsed(read(message.value()), null);
    } catch (IllegalArgumentException e) {
      return new Parsed(null, e.getMessage());
    }
  }

  private QosEvent read(String text) {
    if (zone == null) {
      zone = ZoneId.of(zoneId);
    }
    JsonRecord root = JsonRecord.parse(text);
    Long userId = root.whole("user_id");
    if (userId == null) {
      throw new IllegalArgumentException(root.where("user_id") + ": missing");
    }
    String classroom = root.text("classroom_id");
    if (classroom == null || Text.isBlank(classroom)) {
      throw new IllegalArgumentException(root.where("classroom_id") + ": missing");
    }
    JsonRecord extra = root.object("extra");
    if (extra == null) {
      throw new IllegalArgumentException(root.where("extra") + ".data_time: missing");
    }
    long dataTime = extra.time("data_time", zone);
    long eventTime = root.time("event_time", zone);
    return new QosEvent(
        classroom,
        orEmpty(root.text("user_type")),
        userId,
        eventTime,
        orEmpty(root.text("sub_event")),
        dataTime,
        pptIndex(extra));
  }

  private static String pptIndex(JsonRecord extra) {
    try {
      JsonRecord msg = extra.object("msg");
      return msg == null ? "" : orEmpty(msg.text("pptIndex"));
    } catch (IllegalArgumentException e) {
      return ""; // not needed by C4: a broken extra.msg does not lose the event
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
