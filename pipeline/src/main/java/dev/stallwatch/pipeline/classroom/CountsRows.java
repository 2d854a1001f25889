package dev.stallwatch.pipeline.classroom;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.operations.ConsultantOrders;
import dev.stallwatch.classroom.operations.Registrations;
import dev.stallwatch.pipeline.jdbc.OperationsTables;
import dev.stallwatch.pipeline.jdbc.UpsertTable;
import dev.stallwatch.text.JsonWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * How C2's, C6's and C7's results are written: the JSON of a backfill's lines and of C6's index
 * documents. C6's group {@code yyyyMMddHH_LEVEL} is the document id {@code uk}; C7's {@code
 * cc_id|yyyy-MM-dd} is a {@code staff_index} key.
 */
public final class CountsRows {
  private CountsRows() {}

  /** The mapping of C6's index: the document id as a keyword, the hour and the count as numbers. */
  public static final String REGISTRATION_MAPPING =
      "{\"mappings\":{\"properties\":{\"uk\":{\"type\":\"keyword\"},\"reg_date\":{\"type\":\"long\"},"
          + "\"level\":{\"type\":\"keyword\"},\"leads\":{\"type\":\"long\"}}}}";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(UpsertTable.TIME_PATTERN);

  /** C6's document: {@code uk}, {@code reg_date} (the hour as a number), {@code level}, {@code leads}. */
  public static String registrationJson(GroupCount c) {
    return new JsonWriter(80)
        .field("uk", c.group())
        .field("reg_date", Long.parseLong(Registrations.hourOf(c.group())))
        .field("level", Registrations.levelOf(c.group()))
        .field("leads", c.count())
        .end();
  }

  /** C7's {@code staff_index} row without its {@code update_time}: {@code cc_id, cc_index, type, attribution_time}. */
  public static String staffJson(GroupCount c) {
    return new JsonWriter(96)
        .field("cc_id", ConsultantOrders.ccIdOf(c.group()))
        .field("cc_index", c.count())
        .field("type", OperationsTables.STAFF_TYPE)
        .field("attribution_time", ConsultantOrders.dayOf(c.group()))
        .end();
  }

  /** C2's {@code channel_name_dictionary} row; a field the message lacked is written empty. */
  public static String levelJson(LevelEntry e, ZoneId zone) {
    return new JsonWriter(256)
        .field("rowkey", e.rowkey())
        .field("id", e.id())
        .field("chinese_name", orEmpty(e.chineseName()))
        .field("english_name", orEmpty(e.englishName()))
        .field("level", orEmpty(e.level()))
        .field("pid", orEmpty(e.pid()))
        .field("create_time", e.createTime() == null ? "" : time(e.createTime(), zone))
        .field("update_time", time(e.updateTime(), zone))
        .field("dept_id", orEmpty(e.deptId()))
        .end();
  }

  /** A local time as the tables hold it, {@code yyyy-MM-dd HH:mm:ss.SSS}. */
  public static String time(long millis, ZoneId zone) {
    return TIME.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
