package dev.stallwatch.classroom.parse;

import dev.stallwatch.classroom.domain.JsonRecord;
import dev.stallwatch.text.Text;
import java.time.ZoneId;

/** The readings the account and order parsers share, by the common rules of {@link JsonRecord}. */
final class Fields {
  private Fields() {}

  /** A needed text (an id): a number as written; missing, null or blank is a dead letter. */
  static String needed(JsonRecord r, String name) {
    String v = r.text(name);
    if (v == null || Text.isBlank(v)) {
      throw new IllegalArgumentException(r.where(name) + ": missing");
    }
    return v;
  }

  /** An optional text: null when missing, null or blank. */
  static String optional(JsonRecord r, String name) {
    String v = r.text(name);
    return v == null || Text.isBlank(v) ? null : v;
  }

  /** An optional time: null when missing, null or blank; one that is there but unusable is a dead letter. */
  static Long optionalTime(JsonRecord r, String name, ZoneId zone) {
    String v = r.text(name);
    return v == null || Text.isBlank(v) ? null : r.time(name, zone);
  }
}
