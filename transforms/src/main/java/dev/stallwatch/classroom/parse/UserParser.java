package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.UserRow;
import java.time.ZoneId;

/**
 * Reads a {@code uc_account-user} message (CLASSROOM.md C6) into a {@link UserRow}, by the common
 * reading rules of {@link JsonRecord}; its {@code arrival} is {@link Arrival#of} the message's
 * origin.
 *
 * <p>C6 needs, in this order: {@code id} (text; a number as written) and {@code
 * register_date_time} (epoch ms or a SPEC time: the hour it counts in); the first missing or
 * unusable one is the dead letter's reason. A user's registration time is set once, when it
 * registers, so a row without one is a broken message rather than a state to count nowhere. {@code
 * name} and {@code status} may be missing or blank (null: a row without status counts nowhere, one
 * without name is no test account). The contract has no {@code update_time} here; when a row has
 * one it is read (epoch ms or a SPEC time; unusable is a dead letter, as it would decide which row
 * wins) and carried as {@link UserRow#updateTime()}, which then wins over arrival. No well-formed
 * message is ignored.
 */
public final class UserParser extends RowParser<UserRow> {
  public UserParser(ZoneId zone) {
    super(zone);
  }

  @Override
  protected UserRow read(JsonRecord r, long arrival, ZoneId zone) {
    String id = Fields.needed(r, "id");
    long registerTime = r.time("register_date_time", zone);
    Long updateTime = Fields.optionalTime(r, "update_time", zone);
    return new UserRow(id, Fields.optional(r, "name"), registerTime, Fields.optional(r, "status"), updateTime, arrival);
  }
}
