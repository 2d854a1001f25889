package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.StudentRow;
import java.io.Serializable;
import java.time.ZoneId;

/**
 * Reads a {@code uc_account-student} message (CLASSROOM.md C6) into a {@link StudentRow}, by the
 * common reading rules of {@link JsonRecord}; its {@code arrival} is {@link Arrival#of} the
 * message's origin.
 *
 * <p>C6 needs, in this order: {@code id} (text; a number as written) and {@code update_time} (epoch
 * ms or a SPEC time); the first missing or unusable one is the dead letter's reason. {@code
 * channel_id} (text; a number as written) may be missing or blank: the student is then of level
 * {@code other}, not a dead letter, so that such a row still replaces its id's older one. No
 * well-formed message is ignored.
 */
public final class StudentParser implements Serializable {
  private final String zoneId;
  private transient ZoneId zone;

  public StudentParser(ZoneId zone) {
    this.zoneId = zone.getId();
    this.zone = zone;
  }

  /** A row, or the reason it is a dead letter. */
  public record Parsed(StudentRow row, String reason) {
    public boolean ok() {
      return row != null;
    }
  }

  public Parsed parse(Message message) {
    try {
      return new Parsed(read(message.value(), Arrival.of(message.origin())), null);
    } catch (IllegalArgumentException e) {
      return new Parsed(null, e.getMessage());
    }
  }

  private StudentRow read(String text, long arrival) {
    if (zone == null) {
      zone = ZoneId.of(zoneId);
    }
    JsonRecord r = JsonRecord.parse(text);
    String id = Fields.needed(r, "id");
    long updateTime = r.time("update_time", zone);
    return new StudentRow(id, Fields.optional(r, "channel_id"), updateTime, arrival);
  }
}
