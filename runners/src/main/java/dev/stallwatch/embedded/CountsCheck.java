package dev.stallwatch.embedded;

import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.classroom.parse.LevelParser;
import dev.stallwatch.classroom.parse.RowParser;
import dev.stallwatch.classroom.parse.OrderParser;
import dev.stallwatch.classroom.parse.StudentParser;
import dev.stallwatch.classroom.parse.UserParser;
import dev.stallwatch.classroom.operations.Registrations;
import dev.stallwatch.classroom.reference.ConsultantModel;
import dev.stallwatch.classroom.reference.RegistrationModel;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.OperationsTables;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * C2's, C6's and C7's side of the classroom embedded default: what the models say the dictionary,
 * the registration table and {@code staff_index} must end with, for the day's messages of the
 * four topics (parsed as the job parses them, each with its offset as its arrival), and the
 * tables as the job fills them — each count printed as it changes, with how many changes went
 * down and how many reached 0.
 */
final class CountsCheck {
  /** C6's leads by document id {@code uk}, groups with none left out. */
  final Map<String, Long> registrations;
  /** C7's cc_index by {@code cc_id|yyyy-MM-dd}, groups with none left out. */
  final Map<String, Long> confirmations;
  /** C2's latest level by rowkey. */
  final Map<String, String> levels;
  final List<BadRecord> deadLetters = new ArrayList<>();
  private final OperationsTables tables;
  private final ZoneId zone;

  private final Map<String, Long> seenRegistrations = new TreeMap<>();
  private final Map<String, Long> seenConfirmations = new TreeMap<>();
  private Map<String, String> seenLevels = new HashMap<>();
  private final long[] downs = new long[2];
  private final long[] zeros = new long[2];
  private final long[] changes = new long[2];

  private CountsCheck(
      Map<String, Long> registrations, Map<String, Long> confirmations, Map<String, String> levels, OperationsTables tables,
      ZoneId zone) {
    this.registrations = registrations;
    this.confirmations = confirmations;
    this.levels = levels;
    this.tables = tables;
    this.zone = zone;
  }

  /** The models over the day's messages of the four topics, as the job reads them from {@code topics}. */
  static CountsCheck of(ClassroomGenerator generator, ClassroomConfig config, Map<String, String> topics, OperationsTables tables) {
    ZoneId zone = config.signals().zone();
    LevelParser levelParser = new LevelParser(zone);
    StudentParser studentParser = new StudentParser(zone);
    UserParser userParser = new UserParser(zone);
    OrderParser orderParser = new OrderParser(zone);
    List<LevelEntry> levels = new ArrayList<>();
    List<StudentRow> students = new ArrayList<>();
    List<UserRow> users = new ArrayList<>();
    List<OrderRow> orders = new ArrayList<>();
    List<BadRecord> bad = new ArrayList<>();
    Map<String, Long> offsets = new HashMap<>();
    for (ClassroomGenerator.Generated g : generator) {
      if (!ClassroomGenerator.ACCOUNT_TOPICS.contains(g.topic())) {
        continue;
      }
      long offset = offsets.merge(g.topic(), 1L, Long::sum) - 1;
      Message m = g.message(topics.get(g.topic()) + "/0/" + offset);
      if (m.value() == null || m.value().isBlank()) {
        continue;
      }
      switch (g.topic()) {
        case ClassroomGenerator.LEVELS_TOPIC -> read(levelParser, m, levels, bad);
        case ClassroomGenerator.STUDENTS_TOPIC -> read(studentParser, m, students, bad);
        case ClassroomGenerator.USERS_TOPIC -> read(userParser, m, users, bad);
        default -> read(orderParser, m, orders, bad);
      }
    }
    Map<String, LevelEntry> latest = new HashMap<>();
    levels.forEach(e -> latest.merge(e.id(), e, LevelEntry::latest));
    Map<String, String> levelByRowkey = new TreeMap<>();
    latest.values().forEach(e -> levelByRowkey.put(e.rowkey(), e.level() == null ? "" : e.level()));
    CountsCheck check =
        new CountsCheck(
            RegistrationModel.leads(students, users, levels, config.counts().filter(), zone),
            ConsultantModel.confirmations(orders, zone),
            levelByRowkey, tables, zone);
    check.deadLetters.addAll(bad);
    return check;
  }

  /** The row {@code parser} reads from {@code m} to {@code rows}, or its dead letter to {@code bad}. */
  private static <T> void read(RowParser<T> parser, Message m, List<T> rows, List<BadRecord> bad) {
    RowParser.Parsed<T> p = parser.parse(m);
    if (p.ok()) {
      rows.add(p.row());
    } else {
      bad.add(BadRecord.of(m.value(), m.origin(), p.reason()));
    }
  }

  /** Reads the three tables, printing each count that changed (all with {@code verbose}, else {@code shown} of each). */
  synchronized void poll(JdbcSettings jdbc, PrintStream out, boolean verbose, int shown) throws SQLException {
    try (Connection c = jdbc.connect();
        Statement s = c.createStatement()) {
      Map<String, Long> reg = new TreeMap<>();
      try (ResultSet r = s.executeQuery("SELECT uk, leads FROM " + tables.registrations())) {
        while (r.next()) {
          reg.put(r.getString(1), r.getLong(2));
        }
      }
      Map<String, Long> staff = new TreeMap<>();
      try (ResultSet r = s.executeQuery("SELECT cc_id, attribution_time, cc_index FROM " + tables.staffIndex())) {
        while (r.next()) {
          staff.put(r.getString(1) + "|" + r.getString(2), r.getLong(3));
        }
      }
      Map<String, String> lv = new HashMap<>();
      try (ResultSet r = s.executeQuery("SELECT rowkey, level FROM " + tables.levels())) {
        while (r.next()) {
          lv.put(r.getString(1), r.getString(2) == null ? "" : r.getString(2));
        }
      }
      track(0, tables.registrations(), reg, seenRegistrations, out, verbose, shown);
      track(1, tables.staffIndex(), staff, seenConfirmations, out, verbose, shown);
      seenLevels = lv;
    }
  }

  private void track(
      int which, String table, Map<String, Long> now, Map<String, Long> seen, PrintStream out, boolean verbose, int shown) {
    for (Map.Entry<String, Long> e : now.entrySet()) {
      Long before = seen.get(e.getKey());
      if (before != null && before.equals(e.getValue())) {
        continue;
      }
      changes[which]++;
      if (before != null && e.getValue() < before) {
        downs[which]++;
        if (e.getValue() == 0) {
          zeros[which]++;
        }
      }
      if (verbose || changes[which] <= shown || (before != null && e.getValue() < before && downs[which] <= shown)) {
        out.println("  " + table + " " + e.getKey() + ": " + (before == null ? "" : before + " -> ") + e.getValue());
      }
      seen.put(e.getKey(), e.getValue());
    }
  }

  /** Whether the tables hold what the models say: positive counts equal, every other group at 0. */
  synchronized boolean complete() {
    return equal(registrations, seenRegistrations) && equal(confirmations, seenConfirmations) && levels.equals(seenLevels);
  }

  private static boolean equal(Map<String, Long> model, Map<String, Long> table) {
    for (Map.Entry<String, Long> e : table.entrySet()) {
      if (!e.getValue().equals(model.getOrDefault(e.getKey(), 0L))) {
        return false;
      }
    }
    return table.keySet().containsAll(model.keySet());
  }

  /** Summary lines beside the models'; true when all three are equal. */
  synchronized boolean summary(PrintStream out) {
    boolean ok = line(out, tables.levels() + " (C2, rows)", levels.size(), seenLevels.size(), levels.equals(seenLevels));
    ok &= line(out, tables.registrations() + " (C6, documents > 0)", registrations.size(), positive(seenRegistrations),
        equal(registrations, seenRegistrations));
    ok &= line(out, tables.staffIndex() + " (C7, rows > 0)", confirmations.size(), positive(seenConfirmations),
        equal(confirmations, seenConfirmations));
    out.printf(
        "  %-44s %10s%n", "count changes seen (C6, C7)",
        changes[0] + ", " + changes[1] + "; down " + downs[0] + ", " + downs[1] + "; reached 0 " + zeros[0] + ", " + zeros[1]);
    out.printf(
        "  %-44s %10s%n", "leads, cc_index in total (models)",
        registrations.values().stream().mapToLong(Long::longValue).sum() + ", "
            + confirmations.values().stream().mapToLong(Long::longValue).sum());
    return ok;
  }

  /** The hourly registration table as it stands: hour, then leads per level. */
  synchronized void printRegistrations(PrintStream out) {
    Map<String, Map<String, Long>> byHour = new TreeMap<>();
    seenRegistrations.forEach((uk, n) -> byHour.computeIfAbsent(Registrations.hourOf(uk), h -> new TreeMap<>()).put(Registrations.levelOf(uk), n));
    out.println("  registrations per hour and level (" + tables.registrations() + "):");
    byHour.forEach((hour, levels) -> out.println("    " + hour + "  " + levels));
  }

  private static long positive(Map<String, Long> counts) {
    return counts.values().stream().filter(v -> v > 0).count();
  }

  private static boolean line(PrintStream out, String name, long want, long got, boolean equal) {
    out.printf("  %-44s %10d %10d  %s%n", name, want, got, equal ? "equal" : "DIFFERENT");
    return equal;
  }
}
