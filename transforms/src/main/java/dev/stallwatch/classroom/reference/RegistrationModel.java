package dev.stallwatch.classroom.reference;

import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Periods;
import dev.stallwatch.classroom.domain.RegistrationFilter;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * C6 (CLASSROOM.md) in plain Java, over every row at once: per id the latest student row (by
 * {@code update_time}, then arrival), the latest user row (by its {@code update_time} when given,
 * then arrival) and per channel the latest dictionary row; a student counts in (its registration
 * hour, its channel's level bucket) when its user row exists, passes the filter and has a
 * registration time. Answers {@code leads} per group {@code yyyyMMddHH_LEVEL}, groups with none
 * left out. The composite must end where this does, in any order of the rows.
 */
public final class RegistrationModel {
  private RegistrationModel() {}

  public static Map<String, Long> leads(
      List<StudentRow> students, List<UserRow> users, List<LevelEntry> levels, RegistrationFilter filter, ZoneId zone) {
    Map<String, StudentRow> student = new HashMap<>();
    for (StudentRow s : students) {
      student.merge(s.id(), s, StudentRow::latest);
    }
    Map<String, UserRow> user = new HashMap<>();
    for (UserRow u : users) {
      user.merge(u.id(), u, UserRow::latest);
    }
    Map<String, LevelEntry> level = new HashMap<>();
    for (LevelEntry e : levels) {
      level.merge(e.id(), e, LevelEntry::latest);
    }
    Map<String, Long> leads = new TreeMap<>();
    for (StudentRow s : student.values()) {
      UserRow u = user.get(s.id());
      if (u == null || u.registerTime() == null || !filter.counts(u)) {
        continue;
      }
      LevelEntry channel = s.channelId() == null ? null : level.get(s.channelId());
      String bucket = LevelEntry.bucket(channel == null ? null : channel.level());
      leads.merge(Periods.hourOf(u.registerTime(), zone) + "_" + bucket, 1L, Long::sum);
    }
    return leads;
  }
}
