package dev.stallwatch.classroom.generate;

import dev.stallwatch.classroom.generate.ClassroomGenerator.Generated;
import dev.stallwatch.classroom.generate.ClassroomGenerator.Kind;
import dev.stallwatch.text.EventTimes;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The account and order topics of a generated school (CLASSROOM.md C2, C6, C7): the channel level
 * dictionary, the students' channels, the user accounts and the orders, with the changes the jobs
 * must follow both ways. Made with a random stream of their own, so that asking for them changes
 * nothing in the classroom topics; all at once (they are a few messages per student), in due order.
 * See docs/CLASSROOM-GENERATE.md for what they hold.
 */
final class Accounts {
  /** The random stream of the account topics: no period's ({@code day * 64 + period}) and no student's pace ({@code -1 - n}). */
  private static final long STREAM = Long.MIN_VALUE + 0xACC0L;

  private static final long SECOND = 1000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  /**
   * The dictionary: id, chinese_name, english_name, level (null: no level field), pid, dept_id
   * (null: none). Levels A to D in several spellings, and values that are bucket {@code other}.
   */
  static final String[][] CHANNELS = {
    {"1001", "抖音", "Douyin", "A", "0", "11"},
    {"1002", "微信", "WeChat", "A", "0", "11"},
    {"1003", "百度", "Baidu", "B", "0", "12"},
    {"1004", "小红书", "Xiaohongshu", " b ", "0", "12"},
    {"1005", "转介绍", "Referral", "C", "0", "13"},
    {"1006", "地推", "Street promotion", "c", "1005", "13"},
    {"1007", "电话", "Phone", "D", "0", "14"},
    {"1008", "官网", "Website", "D", "0", null},
    {"1009", "快手", "Kuaishou", "E", "0", "15"},
    {"1010", "B站", "Bilibili", "", "0", "15"},
    {"1011", "知乎", "Zhihu", null, "0", "15"},
    {"1012", "线下活动", "Offline events", "A+", "0", "16"},
  };

  /** Channels some students name that the dictionary does not hold (level {@code other}). */
  static final String[] UNKNOWN_CHANNELS = {"2001", "2002", "2003"};

  /** The levels a re-updated channel may get. */
  private static final String[] NEW_LEVELS = {"A", "B", "C", "D", "S"};

  private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"};
  private static final String[] GIVEN = {"子涵", "浩然", "欣怡", "梓轩", "一诺", "雨桐", "宇航", "可馨", "俊杰", "思远"};
  /** Test accounts' names, {@code %d} the student's number. */
  private static final String[] TEST_NAMES = {"测试%d", "Test%d", "DM__%d", "小王test", "TEST_%d", "测试账号"};
  private static final String[] OTHER_STATUSES = {"FROZEN", "CANCELLED", "LOCKED"};
  /** Consultants' ids. */
  private static final int CONSULTANTS = 8;

  private static final String[] UNUSABLE_TIMES = {"2024-02-30 25:61:00", "yesterday", "0", "-5"};

  private final SplittableRandom random;
  private final int students;
  private final int days;
  private final LocalDate startDate;
  private final ZoneId zone;
  private final List<Generated> out = new ArrayList<>();
  private long orders;

  private Accounts(long seed, int students, int days, LocalDate startDate, ZoneId zone) {
    this.random = new SplittableRandom(ClassroomGenerator.mix(seed, STREAM));
    this.students = students;
    this.days = days;
    this.startDate = startDate;
    this.zone = zone;
  }

  /** The four topics' messages, in due order (ties in the order they were made). */
  static List<Generated> generate(long seed, int students, int days, LocalDate startDate, ZoneId zone) {
    Accounts a = new Accounts(seed, students, days, startDate, zone);
    a.dictionary();
    for (int n = 0; n < students; n++) {
      a.student(n);
    }
    a.badMessages();
    a.out.sort(Comparator.comparingLong(Generated::dueMillis)); // stable
    return a.out;
  }

  private long dayStart(int day) {
    return startDate.plusDays(day).atStartOfDay(zone).toInstant().toEpochMilli();
  }

  private long between(long from, long to) {
    return from + (long) (random.nextDouble() * (to - from));
  }

  /** A time of whole seconds (the source tables' DATETIME columns have no milliseconds). */
  private static long seconds(long millis) {
    return Math.floorDiv(millis, SECOND) * SECOND;
  }

  /** Adds a message due a realistic delay after its event, now and then sent twice; answers its due time. */
  private long emit(String topic, String key, String json, long eventMillis, Kind kind) {
    long delay;
    int r = random.nextInt(1000);
    if (r < 930) {
      delay = between(20, 800);
    } else if (r < 990) {
      delay = between(SECOND, 5 * SECOND);
    } else {
      delay = between(MINUTE, 3 * MINUTE);
    }
    long due = eventMillis + delay;
    out.add(new Generated(topic, due, key, json, eventMillis, kind, false));
    if (random.nextInt(100) == 0) {
      out.add(new Generated(topic, due + between(200, 20 * SECOND), key, json, eventMillis, kind, true));
    }
    return due;
  }

  /** Adds a message due at {@code due} (after its event): one sent late on purpose. */
  private void emitAt(String topic, String key, String json, long eventMillis, long due) {
    out.add(new Generated(topic, Math.max(due, eventMillis), key, json, eventMillis, Kind.GOOD, false));
  }

  /** A time field: epoch ms (a number, or digits as text) or a local {@code yyyy-MM-dd HH:mm:ss}. */
  private void time(JsonText o, String name, long t) {
    if (random.nextBoolean()) {
      o.number(name, t);
    } else {
      o.text(name, EventTimes.dateTime(t, zone));
    }
  }

  /** An id: sometimes a number, sometimes text (both read as the same text). */
  private void id(JsonText o, String name, String id) {
    if (random.nextInt(3) == 0) {
      o.text(name, id);
    } else {
      o.number(name, Long.parseLong(id));
    }
  }

  private JsonText object() {
    return new JsonText(JsonText.spelling(random), random, 0.2, 192);
  }

  /** The text cut short: never a JSON object. */
  private String cut(String json) {
    return json.substring(0, 1 + random.nextInt(json.length() - 2));
  }

  // ---------------------------------------------------------------- C2: the level dictionary

  private final String[] levels = new String[CHANNELS.length];

  private void dictionary() {
    long load = dayStart(0) + 7 * HOUR;
    for (int c = 0; c < CHANNELS.length; c++) {
      levels[c] = CHANNELS[c][3];
      long t = seconds(load + c * 7 * SECOND);
      emit(ClassroomGenerator.LEVELS_TOPIC, CHANNELS[c][0], level(c, levels[c], t), t, Kind.GOOD);
    }
    for (int day = 0; day < days; day++) {
      // two channels change level around noon
      for (int k = 0; k < 2; k++) {
        int c = random.nextInt(CHANNELS.length);
        long t = seconds(dayStart(day) + 12 * HOUR + between(0, 30 * MINUTE));
        levels[c] = another(levels[c]);
        emit(ClassroomGenerator.LEVELS_TOPIC, CHANNELS[c][0], level(c, levels[c], t), t, Kind.GOOD);
      }
      // one channel's afternoon update is overtaken: the update of 15:00 is sent after the one of 15:20
      int c = random.nextInt(CHANNELS.length);
      long older = seconds(dayStart(day) + 15 * HOUR + between(0, 5 * MINUTE));
      long newer = older + 20 * MINUTE;
      String olderLevel = another(levels[c]);
      levels[c] = another(olderLevel);
      long newerDue = emit(ClassroomGenerator.LEVELS_TOPIC, CHANNELS[c][0], level(c, levels[c], newer), newer, Kind.GOOD);
      emitAt(ClassroomGenerator.LEVELS_TOPIC, CHANNELS[c][0], level(c, olderLevel, older), older, newerDue + between(MINUTE, 10 * MINUTE));
    }
  }

  private String another(String level) {
    String l;
    do {
      l = NEW_LEVELS[random.nextInt(NEW_LEVELS.length)];
    } while (l.equals(level));
    return l;
  }

  private String level(int c, String level, long updateTime) {
    String[] ch = CHANNELS[c];
    JsonText o = object();
    id(o, "id", ch[0]);
    o.text("chinese_name", ch[1]).text("english_name", ch[2]);
    if (level != null) {
      o.text("level", level);
    }
    o.number("pid", Long.parseLong(ch[4]));
    time(o, "create_time", seconds(dayStart(0) - (200 - c * 9) * 24 * HOUR));
    time(o, "update_time", updateTime);
    if (ch[5] != null) {
      o.number("dept_id", Long.parseLong(ch[5]));
    }
    return o.end();
  }

  // ---------------------------------------------------------------- C6: students and users

  private void student(int n) {
    String id = Long.toString(ClassroomGenerator.studentId(n));
    int day = random.nextInt(days);
    long registered = seconds(dayStart(day) + 8 * HOUR + between(0, 15 * HOUR));

    // the user account
    String name = name(n);
    String status = random.nextInt(100) < 94 ? "NORMAL" : OTHER_STATUSES[random.nextInt(OTHER_STATUSES.length)];
    boolean hasName = random.nextInt(100) != 0;
    long last = emit(ClassroomGenerator.USERS_TOPIC, id, user(id, hasName ? name : null, registered, status), registered, Kind.GOOD);
    long changed = registered;
    if (random.nextInt(100) < 8) { // the status flips, and now and then back
      int flips = random.nextInt(3) == 0 ? 2 : 1;
      for (int f = 0; f < flips; f++) {
        changed = seconds(changed + between(30 * MINUTE, 24 * HOUR));
        status = status.equals("NORMAL") ? OTHER_STATUSES[random.nextInt(OTHER_STATUSES.length)] : "NORMAL";
        last = emit(ClassroomGenerator.USERS_TOPIC, id, user(id, hasName ? name : null, registered, status), changed, Kind.GOOD);
      }
    }
    if (random.nextInt(100) < 3) { // the account re-sent hours later as it is now (a source's re-snapshot)
      long t = seconds(Math.max(last, changed) + between(HOUR, 6 * HOUR));
      emit(ClassroomGenerator.USERS_TOPIC, id, user(id, hasName ? name : null, registered, status), t, Kind.GOOD);
    }

    // the student and its channel
    String channel = channel();
    long t1 = registered + SECOND * (1 + random.nextInt(5));
    String first = studentRow(id, channel, t1);
    long firstDue = emit(ClassroomGenerator.STUDENTS_TOPIC, id, first, t1, Kind.GOOD);
    if (random.nextInt(100) < 15) { // the channel is corrected, often to one of another level
      long t2 = seconds(t1 + between(10 * MINUTE, 36 * HOUR));
      String again;
      do {
        again = channel();
      } while (java.util.Objects.equals(again, channel));
      long secondDue = emit(ClassroomGenerator.STUDENTS_TOPIC, id, studentRow(id, again, t2), t2, Kind.GOOD);
      if (random.nextInt(4) == 0) { // the first row replayed after the correction: older, so it must not win
        emitAt(ClassroomGenerator.STUDENTS_TOPIC, id, first, t1, Math.max(firstDue, secondDue) + between(MINUTE, HOUR));
      }
    }

    if (random.nextInt(100) < 35) {
      order(id, registered);
    }
  }

  private String name(int n) {
    if (random.nextInt(100) < 7) {
      return String.format(TEST_NAMES[random.nextInt(TEST_NAMES.length)], n);
    }
    String name = SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)];
    return random.nextInt(20) == 0 ? " " + name + " " : name;
  }

  /** A student's channel: mostly the dictionary's, some unknown to it, some none (null). */
  private String channel() {
    int r = random.nextInt(100);
    if (r < 90) {
      return CHANNELS[random.nextInt(CHANNELS.length)][0];
    }
    return r < 95 ? UNKNOWN_CHANNELS[random.nextInt(UNKNOWN_CHANNELS.length)] : null;
  }

  private String user(String id, String name, long registered, String status) {
    JsonText o = object();
    id(o, "id", id);
    if (name != null) {
      o.text("name", name);
    }
    time(o, "register_date_time", registered);
    o.text("status", status);
    return o.end();
  }

  private String studentRow(String id, String channel, long updateTime) {
    JsonText o = object();
    id(o, "id", id);
    if (channel != null) {
      id(o, "channel_id", channel);
    } else if (random.nextBoolean()) {
      o.raw("channel_id", random.nextBoolean() ? "null" : "\"\"");
    }
    time(o, "update_time", updateTime);
    return o.end();
  }

  // ---------------------------------------------------------------- C7: orders

  /** The state of an order a row is written from. */
  private static final class Order {
    String id;
    String student;
    String cc;
    int status;
    Long confirmed;
    Long canceled;
    Long refund;
    long created;
  }

  private void order(String student, long registered) {
    Order o = new Order();
    o.id = Long.toString(700_000_001L + orders++);
    o.student = student;
    o.cc = random.nextInt(100) < 5 ? null : consultant();
    o.status = 1;
    o.created = seconds(registered + between(5 * MINUTE, 24 * HOUR));
    String created = orderRow(o, o.created);
    long createdDue = emit(ClassroomGenerator.ORDERS_TOPIC, o.id, created, o.created, Kind.GOOD);
    long t = o.created;
    long lastDue = createdDue;
    String confirmedRow = null;
    long confirmedAt = 0;
    if (random.nextInt(100) < 80) {
      t = seconds(t + between(10 * MINUTE, 6 * HOUR));
      if (o.cc == null && random.nextInt(5) != 0) {
        o.cc = consultant(); // assigned when confirmed; a few stay unassigned and count nowhere
      }
      o.status = 3;
      o.confirmed = t;
      confirmedRow = orderRow(o, t);
      confirmedAt = t;
      lastDue = emit(ClassroomGenerator.ORDERS_TOPIC, o.id, confirmedRow, t, Kind.GOOD);
      if (random.nextInt(100) < 5) { // handed to another consultant: the count moves
        t = seconds(t + between(30 * MINUTE, 12 * HOUR));
        o.cc = consultant();
        lastDue = emit(ClassroomGenerator.ORDERS_TOPIC, o.id, orderRow(o, t), t, Kind.GOOD);
      }
      if (random.nextInt(100) < 20) { // cancelled or refunded: status away from 3
        t = seconds(t + between(30 * MINUTE, 24 * HOUR));
        if (random.nextBoolean()) {
          o.status = 4;
          o.canceled = t;
        } else {
          o.status = 5;
          o.refund = t;
        }
        lastDue = emit(ClassroomGenerator.ORDERS_TOPIC, o.id, orderRow(o, t), t, Kind.GOOD);
        if (random.nextInt(100) < 35) { // and confirmed again, maybe on another day
          t = seconds(t + between(HOUR, 24 * HOUR));
          o.status = 3;
          o.confirmed = t;
          o.canceled = null;
          o.refund = null;
          lastDue = emit(ClassroomGenerator.ORDERS_TOPIC, o.id, orderRow(o, t), t, Kind.GOOD);
        }
      }
    }
    if (random.nextInt(100) < 6) { // an older row of the order sent after the newest: it must not win
      boolean confirmedAgain = confirmedRow != null && random.nextBoolean();
      emitAt(
          ClassroomGenerator.ORDERS_TOPIC,
          o.id,
          confirmedAgain ? confirmedRow : created,
          confirmedAgain ? confirmedAt : o.created,
          lastDue + between(MINUTE, 2 * HOUR));
    }
  }

  private String consultant() {
    return Long.toString(3001 + random.nextInt(CONSULTANTS));
  }

  private String orderRow(Order o, long updateTime) {
    JsonText j = object();
    id(j, "id", o.id);
    j.number("leads_flow_event_id", 50_000_000L + Long.parseLong(o.id) % 1_000_000);
    j.number("group_id", 1 + Long.parseLong(o.id) % 5);
    if (o.cc != null) {
      id(j, "cc_id", o.cc);
    }
    id(j, "student_id", o.student);
    j.text("order_id", "PO" + EventTimes.date(o.created, zone) + o.id.substring(o.id.length() - 4));
    j.number("leads_id", 80_000_000L + Long.parseLong(o.student));
    if (o.confirmed != null) {
      time(j, "confirm_date_time", o.confirmed);
    }
    time(j, "create_time", o.created);
    time(j, "update_time", updateTime);
    time(j, "order_create_time", o.created);
    if (o.canceled != null) {
      time(j, "canceled_date_time", o.canceled);
    }
    if (o.refund != null) {
      time(j, "apply_refund_date", o.refund);
    }
    j.number("status", o.status);
    return j.end();
  }

  // ---------------------------------------------------------------- dead letters

  /**
   * A few bad messages per topic at times of the school day (of the dictionary, a score of rows,
   * three or one a day; of the others two a day and one more per hundred students a day): cut
   * short, without a needed field, or with an unusable time.
   */
  private void badMessages() {
    int perTopic = days * (2 + students / 100);
    int ofDictionary = Math.max(3, days);
    String[] topics = {
      ClassroomGenerator.LEVELS_TOPIC, ClassroomGenerator.STUDENTS_TOPIC, ClassroomGenerator.USERS_TOPIC, ClassroomGenerator.ORDERS_TOPIC
    };
    for (String topic : topics) {
      int n = topic.equals(ClassroomGenerator.LEVELS_TOPIC) ? ofDictionary : perTopic;
      for (int k = 0; k < n; k++) {
        long t = seconds(dayStart(random.nextInt(days)) + 8 * HOUR + between(0, 15 * HOUR));
        String id =
            switch (topic) {
              case ClassroomGenerator.LEVELS_TOPIC -> CHANNELS[random.nextInt(CHANNELS.length)][0];
              case ClassroomGenerator.ORDERS_TOPIC -> Long.toString(700_000_001L + random.nextInt((int) Math.max(1, orders)));
              default -> Long.toString(ClassroomGenerator.studentId(random.nextInt(students)));
            };
        int bad = k % 3; // each way in turn, so that every topic has every kind
        emit(topic, id, bad(topic, id, t, bad), t, Kind.BAD);
      }
    }
  }

  private String bad(String topic, String id, long t, int bad) {
    JsonText o = object();
    String timeField =
        switch (topic) {
          case ClassroomGenerator.USERS_TOPIC -> "register_date_time";
          default -> "update_time";
        };
    if (bad == 1 && random.nextBoolean()) {
      // without the id instead of without the time
      o.text("status", "NORMAL");
      time(o, timeField, t);
      return o.end();
    }
    id(o, "id", id);
    switch (topic) {
      case ClassroomGenerator.LEVELS_TOPIC -> o.text("level", "A");
      case ClassroomGenerator.STUDENTS_TOPIC -> o.number("channel_id", 1001);
      case ClassroomGenerator.USERS_TOPIC -> o.text("name", "李雷").text("status", "NORMAL");
      default -> o.number("cc_id", 3001).number("status", 3).number("confirm_date_time", t);
    }
    if (bad == 2) {
      o.text(timeField, UNUSABLE_TIMES[random.nextInt(UNUSABLE_TIMES.length)]);
    } else if (bad == 0) {
      time(o, timeField, t);
    }
    String json = o.end();
    return bad == 0 ? cut(json) : json;
  }
}
