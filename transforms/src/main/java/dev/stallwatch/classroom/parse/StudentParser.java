package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.StudentRow;
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
public final class StudentParser extends RowParser<StudentRow> {
  public StudentParser(ZoneId zone) {
    super(zone);
  }

  @Override
  protected StudentRow read(JsonRecord r, long arrival, ZoneId zone) {
    String id = Fields.needed(r, "id");
    long updateTime = r.time("update_time", zone);
    return new StudentRow(id, Fields.optional(r, "channel_id"), updateTime, arrival);
  }
}
