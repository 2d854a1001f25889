package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.classroom.domain.LevelEntry;
import java.time.ZoneId;

/**
 * Reads a {@code blink_stg_activity__channel_name_dictionary_da} message (CLASSROOM.md C2) into a
 * {@link LevelEntry}, by the common reading rules of {@link JsonRecord}; its {@code arrival} is
 * {@link Arrival#of} the message's origin.
 *
 * <p>C2 needs, in this order (the first missing or unusable one is the dead letter's reason): {@code
 * id} (text; a number as written, so {@code 12} and {@code "12"} are one channel and one row key)
 * and {@code update_time} (epoch ms or a SPEC time: it decides which row of an id wins). {@code
 * chinese_name}, {@code english_name}, {@code level}, {@code pid} and {@code dept_id} may be missing
 * or blank (null; a missing level is bucket {@code other}); {@code create_time} may be missing
 * (null) but, being a column of the table, is a dead letter when it is there and unusable. C2
 * ignores no well-formed message.
 */
public final class LevelParser extends RowParser<LevelEntry> {
  public LevelParser(ZoneId zone) {
    super(zone);
  }

  @Override
  protected LevelEntry read(JsonRecord r, long arrival, ZoneId zone) {
    String id = Fields.needed(r, "id");
    long updateTime = r.time("update_time", zone);
    Long createTime = Fields.optionalTime(r, "create_time", zone);
    return LevelEntry.of(
        id,
        Fields.optional(r, "chinese_name"),
        Fields.optional(r, "english_name"),
        Fields.optional(r, "level"),
        Fields.optional(r, "pid"),
        createTime,
        updateTime,
        Fields.optional(r, "dept_id"),
        arrival);
  }
}
