package dev.stallwatch.classroom.generate;

import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.text.EventTimes;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Realistic school days of the classroom family's three input topics (CLASSROOM.md C1, C4, C5),
 * deterministic for a seed: students in rooms, one lesson per room in each of the day's {@value
 * #PERIODS_PER_DAY} periods, in the configured zone.
 *
 * <p>Each student belongs to one room ({@code student % rooms}) and attends most of its lessons,
 * joining a little early or late and sometimes leaving early. A lesson is live (its students and
 * teacher send {@code agora_record} records every few seconds) or a recorded course (its students
 * send {@code qos_log} events: entering, a PPT play and {@code PPT_SUCCESS} per page); in both the
 * courseware sends {@code timeline_client_topic} messages: the student classroom signals of every
 * default rule of C1, mixed with messages C1 ignores (the teacher's, other {@code msgid} or {@code
 * msgtype}, actions no rule knows) and a small share of bad ones (not JSON, no time, an unusable
 * time). Field names are sometimes in another case, numbers sometimes text, nested objects
 * sometimes strings holding JSON.
 *
 * <p>Each {@link Generated message} has the event time it carries and a due time, when its producer
 * sends it: mostly a fraction of a second after the event, some a few seconds (out of order), a few
 * a minute or more late, and about one in a hundred sent twice. {@link #iterator()} gives every
 * message of every topic in due order, lesson period by lesson period, holding one period in
 * memory; {@link #byTopic()} gives them all at once.
 *
 * <p>Asked for ({@link Builder#accounts}), the messages also hold the account and order topics of
 * C2, C6 and C7 ({@link #ACCOUNT_TOPICS}): the channel level dictionary with re-updates and an
 * overtaken one, the students' channels and their corrections, the user accounts with status
 * flips, test accounts and re-sent rows, and orders confirmed, cancelled and confirmed again, some
 * of their rows sent late; a few bad messages in each. They come from a random stream of their own
 * and are made all at once (a few per student, see {@link #accountMessages()}): with or without
 * them the classroom topics' messages are the same, byte for byte.
 */
public final class ClassroomGenerator implements Iterable<ClassroomGenerator.Generated> {
  /** C1's input topic. */
  public static final String SIGNALS_TOPIC = "timeline_client_topic";
  /** C4's input topic. */
  public static final String QOS_TOPIC = "qos_log";
  /** C5's input topic. */
  public static final String AV_TOPIC = "agora_record";
  /** The three classroom topics, in the order the jobs take them: what a generator gives by default. */
  public static final List<String> TOPICS = List.of(SIGNALS_TOPIC, QOS_TOPIC, AV_TOPIC);
  /** C2's input topic, the channel level dictionary. */
  public static final String LEVELS_TOPIC = LevelEntry.TOPIC;
  /** C6's student topic. */
  public static final String STUDENTS_TOPIC = StudentRow.TOPIC;
  /** C6's user topic. */
  public static final String USERS_TOPIC = UserRow.TOPIC;
  /** C7's input topic. */
  public static final String ORDERS_TOPIC = OrderRow.TOPIC;
  /** The account and order topics of C2, C6 and C7, given when {@link Builder#accounts} asks for them. */
  public static final List<String> ACCOUNT_TOPICS = List.of(LEVELS_TOPIC, STUDENTS_TOPIC, USERS_TOPIC, ORDERS_TOPIC);
  /** Every topic: {@link #TOPICS}, then {@link #ACCOUNT_TOPICS}. */
  public static final List<String> ALL_TOPICS =
      List.of(SIGNALS_TOPIC, QOS_TOPIC, AV_TOPIC, LEVELS_TOPIC, STUDENTS_TOPIC, USERS_TOPIC, ORDERS_TOPIC);

  /** The default zone of the school day. */
  public static final String DEFAULT_ZONE = "Asia/Shanghai";
  /** The default first day: a Tuesday. */
  public static final LocalDate DEFAULT_START = LocalDate.of(2024, 3, 19);

  /** The lessons of a school day: eight periods of forty minutes, four before and four after lunch. */
  public static final int PERIODS_PER_DAY = 8;

  private static final LocalTime[] PERIOD_STARTS = {
    LocalTime.of(8, 0), LocalTime.of(8, 50), LocalTime.of(9, 40), LocalTime.of(10, 30),
    LocalTime.of(13, 30), LocalTime.of(14, 20), LocalTime.of(15, 10), LocalTime.of(16, 0)
  };
  private static final long SECOND = 1000L;
  private static final long LESSON = 40 * 60 * SECOND;

  /** Students per room when {@code rooms} is left to the generator. */
  public static final int STUDENTS_PER_ROOM = 30;

  // what a student does; the shares are per mille
  private static final int ATTEND = 920;
  private static final double MIN_GAP_SECONDS = 10;
  private static final double MAX_GAP_SECONDS = 30;
  private static final int UNKNOWN_ACTION = 30;
  private static final int OTHER_MSGID = 60;
  private static final int OTHER_MSGTYPE = 20;
  private static final int BAD_SIGNAL = 12;
  private static final int BAD_QOS = 15;
  private static final int BAD_AV = 10;
  private static final int DUPLICATE = 10;

  /** The events of C1's default rules and the {@code msg_data} each is sent with, weighted. */
  private static final String[][] SIGNAL_KINDS = {
    // event, target_id prefix, target_type, action, sub_action, weight
    {"SHAPE_MOVE", "shape-", "shape", "move", "", "25"},
    {"SHAPE_HOVER", "shape-", "shape", "mouse", "over", "22"},
    {"SHAPE_DRAW", "line-", "shape", "add", "", "15"},
    {"AUDIO_PLAY", "audio-", "template", "audio", "start", "11"},
    {"AUDIO_PAUSE", "audio-", "template", "audio", "pause", "7"},
    {"MATCH_WRONG", "match", "template", "match", "drop:wrong", "7"},
    {"MATCH_CORRECT", "match", "template", "match", "drop:correct", "13"},
  };
  private static final int SIGNAL_WEIGHT = 100;

  /** {@code msg_data} that no default rule matches. */
  private static final String[][] UNKNOWN_ACTIONS = {
    {"shape-", "shape", "rotate", ""},
    {"shape-", "shape", "mouse", "out"},
    {"audio-", "template", "audio", "stop"},
    {"match", "template", "match", "drag"},
    {"video-", "template", "video", "start"},
  };

  private static final String[] UNUSABLE_TIMES = {"2024-02-30 25:61:00", "yesterday", "0", "-5"};

  private final long seed;
  private final int students;
  private final int rooms;
  private final int days;
  private final LocalDate startDate;
  private final ZoneId zone;
  private final boolean accounts;

  /** What a generated message is meant to be to its job. */
  public enum Kind {
    /** A student classroom signal (C1), an event (C4), a record with a sample (C5), a row (C2, C6, C7). */
    GOOD,
    /** Well formed, but the job counts it as ignored. */
    IGNORED,
    /** A dead letter on purpose. */
    BAD
  }

  /**
   * One message: its topic, when it is due (sent; epoch ms), its record key (the user id), its JSON
   * text, the event time it carries (epoch ms; for a message bad on purpose the time it was made
   * from), what it is meant to be, and whether it is the second sending of a message. The event
   * time of an account or order row is its {@code update_time}; of a user row, which has none, the
   * time it was written (registered, changed, or sent again).
   */
  public record Generated(String topic, long dueMillis, String key, String json, long eventMillis, Kind kind, boolean duplicate) {
    /** The message as a classroom job reads it, from {@code origin} ({@code topic/partition/offset}, {@code file:line}). */
    public Message message(String origin) {
      return new Message(key, json, origin);
    }
  }

  private ClassroomGenerator(Builder b) {
    this.seed = b.seed;
    this.days = b.days;
    this.startDate = b.startDate;
    this.zone = b.zone;
    this.accounts = b.accounts;
    if (b.signals > 0) {
      this.students = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(b.signals / (signalsPerStudentDay() * days))));
    } else {
      this.students = b.students;
    }
    this.rooms = b.rooms > 0 ? b.rooms : Math.max(1, (students + STUDENTS_PER_ROOM - 1) / STUDENTS_PER_ROOM);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** One school day of {@code students} in {@code rooms} on {@code date}, in {@value #DEFAULT_ZONE}. */
  public static ClassroomGenerator day(long seed, int students, int rooms, LocalDate date) {
    return builder().seed(seed).students(students).rooms(rooms).startDate(date).build();
  }

  /** Days from {@value #DEFAULT_START} holding about {@code signals} student classroom signals. */
  public static ClassroomGenerator aboutSignals(long seed, long signals, int days) {
    return builder().seed(seed).signals(signals).days(days).build();
  }

  public long seed() {
    return seed;
  }

  public int students() {
    return students;
  }

  public int rooms() {
    return rooms;
  }

  public int days() {
    return days;
  }

  public LocalDate startDate() {
    return startDate;
  }

  public ZoneId zone() {
    return zone;
  }

  /** Whether the account and order topics ({@link #ACCOUNT_TOPICS}) are among the messages. */
  public boolean accounts() {
    return accounts;
  }

  /** The topics this generator gives: {@link #TOPICS}, or {@link #ALL_TOPICS} with {@link #accounts()}. */
  public List<String> topics() {
    return accounts ? ALL_TOPICS : TOPICS;
  }

  /**
   * The messages of the account and order topics ({@link #ACCOUNT_TOPICS}: C2's dictionary, C6's
   * students and users, C7's orders) of these students and days, in due order, whether or not
   * {@link #accounts()} puts them among the messages. They are made from a random stream of their
   * own: the classroom topics are the same with or without them.
   */
  public List<Generated> accountMessages() {
    return Accounts.generate(seed, students, days, startDate, zone);
  }

  /**
   * How many student classroom signals one student sends in a day on average (duplicates counted,
   * as C1 reads them): periods times attendance times the signals of a lesson.
   */
  public static double signalsPerStudentDay() {
    // a lesson's presence: joins on average 18 s after the start, leaves 37.5 s before the end
    double presenceSeconds = LESSON / 1000.0 - 18 - 37.5;
    // the mean gap is uniform in [MIN, MAX]: the mean of 1/gap
    double perSecond = Math.log(MAX_GAP_SECONDS / MIN_GAP_SECONDS) / (MAX_GAP_SECONDS - MIN_GAP_SECONDS);
    double signalShare = 1 - (UNKNOWN_ACTION + OTHER_MSGID + OTHER_MSGTYPE + BAD_SIGNAL) / 1000.0;
    return PERIODS_PER_DAY * (ATTEND / 1000.0) * presenceSeconds * perSecond * signalShare * (1 + DUPLICATE / 1000.0);
  }

  /** About how many student classroom signals this generator gives. */
  public long expectedSignals() {
    return Math.round(signalsPerStudentDay() * students * days);
  }

  /**
   * Every message of every topic ({@link #topics()}) in due order (equal due times in the order
   * they were made, a classroom message before an account one).
   */
  @Override
  public Iterator<Generated> iterator() {
    Iterator<Generated> periods = periods();
    if (!accounts) {
      return periods;
    }
    Iterator<Generated> accountMessages = accountMessages().iterator();
    return new Iterator<>() {
      private Generated nextPeriod;
      private Generated nextAccount;

      @Override
      public boolean hasNext() {
        if (nextPeriod == null && periods.hasNext()) {
          nextPeriod = periods.next();
        }
        if (nextAccount == null && accountMessages.hasNext()) {
          nextAccount = accountMessages.next();
        }
        return nextPeriod != null || nextAccount != null;
      }

      @Override
      public Generated next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Generated g;
        if (nextAccount == null || (nextPeriod != null && nextPeriod.dueMillis() <= nextAccount.dueMillis())) {
          g = nextPeriod;
          nextPeriod = null;
        } else {
          g = nextAccount;
          nextAccount = null;
        }
        return g;
      }
    };
  }

  /** The classroom topics' messages, period by period. */
  private Iterator<Generated> periods() {
    return new Iterator<>() {
      private int chunk;
      private List<Generated> current = List.of();
      private int at;
      private long lastDue = Long.MIN_VALUE;

      @Override
      public boolean hasNext() {
        while (at >= current.size() && chunk < days * PERIODS_PER_DAY) {
          current = period(chunk / PERIODS_PER_DAY, chunk % PERIODS_PER_DAY);
          chunk++;
          at = 0;
          if (!current.isEmpty() && current.get(0).dueMillis() < lastDue) {
            throw new IllegalStateException("generated periods overlap: the schedule leaves too short a break");
          }
          if (!current.isEmpty()) {
            lastDue = current.get(current.size() - 1).dueMillis();
          }
        }
        return at < current.size();
      }

      @Override
      public Generated next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Generated g = current.get(at);
        current.set(at++, null); // the period's messages are let go as they are taken
        return g;
      }
    };
  }

  /** Every message, by topic ({@link #topics()} in order), each topic's in due order. */
  public Map<String, List<Generated>> byTopic() {
    Map<String, List<Generated>> byTopic = new LinkedHashMap<>();
    topics().forEach(t -> byTopic.put(t, new ArrayList<>()));
    for (Generated g : this) {
      byTopic.get(g.topic()).add(g);
    }
    return byTopic;
  }

  /** Every message of every topic, in due order. */
  public List<Generated> all() {
    List<Generated> all = new ArrayList<>();
    forEach(all::add);
    return all;
  }

  // ---------------------------------------------------------------- one period of every room

  /** The state of one period's generation: its random numbers and the messages made so far. */
  private final class Period {
    final SplittableRandom random;
    final List<Generated> out = new ArrayList<>();
    final long start;
    final int day;
    final int period;

    Period(int day, int period) {
      this.day = day;
      this.period = period;
      this.random = new SplittableRandom(mix(seed, day * 64L + period));
      this.start = startDate.plusDays(day).atTime(PERIOD_STARTS[period]).atZone(zone).toInstant().toEpochMilli();
    }

    long between(long from, long to) {
      return from + (long) (random.nextDouble() * (to - from));
    }

    /** Adds a message, due after its event by a realistic delay, sometimes sent twice. */
    void emit(String topic, long key, String json, long eventMillis, Kind kind) {
      long delay;
      int r = random.nextInt(1000);
      if (r < 930) {
        delay = between(20, 800); // in order, or nearly
      } else if (r < 992) {
        delay = between(SECOND, 5 * SECOND); // out of order within a few seconds
      } else {
        delay = between(60 * SECOND, 180 * SECOND); // a minute or more late
      }
      String k = Long.toString(key);
      out.add(new Generated(topic, eventMillis + delay, k, json, eventMillis, kind, false));
      if (random.nextInt(1000) < DUPLICATE) {
        out.add(new Generated(topic, eventMillis + delay + between(200, 20 * SECOND), k, json, eventMillis, kind, true));
      }
    }
  }

  private List<Generated> period(int day, int period) {
    Period p = new Period(day, period);
    for (int room = 0; room < rooms; room++) {
      Lesson lesson = new Lesson(p, room);
      lesson.teacher();
      for (int s = room; s < students; s += rooms) {
        if (p.random.nextInt(1000) < ATTEND) {
          lesson.student(s);
        }
      }
    }
    return byDue(p.out);
  }

  /** The messages sorted by due time, ties in the order they were made. */
  private static List<Generated> byDue(List<Generated> made) {
    int n = made.size();
    if (n >= 1 << 22) {
      made.sort(Comparator.comparingLong(Generated::dueMillis)); // stable
      return made;
    }
    // the due times after the earliest (a period spans an hour or so) over a 22-bit index: one
    // primitive sort instead of a comparator's
    long base = Long.MAX_VALUE;
    for (Generated g : made) {
      base = Math.min(base, g.dueMillis());
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((made.get(i).dueMillis() - base) << 22) | i;
    }
    java.util.Arrays.sort(keys);
    List<Generated> sorted = new ArrayList<>(n);
    for (long k : keys) {
      sorted.add(made.get((int) (k & ((1 << 22) - 1))));
    }
    return sorted;
  }

  /** The id of student {@code n}: whole numbers, as C4's and C5's BIGINT columns want them. */
  public static long studentId(int n) {
    return 100_001L + n;
  }

  /** The id of room {@code room}'s teacher. */
  public static long teacherId(int room) {
    return 9_000_001L + room;
  }

  /** One room's lesson in one period. */
  private final class Lesson {
    final Period p;
    final SplittableRandom random;
    final int room;
    final boolean live;
    final String roomId;
    final String classroomId;
    final long channelId;
    final long start;
    final long end;

    Lesson(Period p, int room) {
      this.p = p;
      this.random = p.random;
      this.room = room;
      this.live = random.nextInt(10) < 6;
      this.roomId = Long.toString(600_000L + room);
      this.classroomId =
          "c" + startDate.plusDays(p.day).toString().replace("-", "") + "-" + room + "-" + (p.period + 1);
      this.channelId = 10_000_000L * (p.day + 1) + room * 10L + p.period;
      this.start = p.start;
      this.end = p.start + LESSON;
    }

    void teacher() {
      long id = teacherId(room);
      long from = start - p.between(60 * SECOND, 300 * SECOND);
      long to = end + p.between(0, 60 * SECOND);
      for (long t = from + gap(40); t < to; t += gap(40)) {
        String[] kind = SIGNAL_KINDS[random.nextInt(SIGNAL_KINDS.length)];
        p.emit(SIGNALS_TOPIC, id, signal(id, 1, 305, 116, msgData(kind[1], kind[2], kind[3], kind[4], t), t, 0), t, Kind.IGNORED);
      }
      if (live) {
        for (long t = from + p.between(0, 10 * SECOND); t < to; t += p.between(8 * SECOND, 12 * SECOND)) {
          p.emit(AV_TOPIC, id, av(id, "teacher", t, true, 15 + random.nextInt(10), random.nextInt(3), 0), t, Kind.IGNORED);
        }
      }
    }

    void student(int n) {
      long id = studentId(n);
      long join =
          random.nextInt(10) < 8
              ? start + p.between(-180 * SECOND, 60 * SECOND)
              : start + p.between(60 * SECOND, 600 * SECOND);
      long leave =
          random.nextInt(10) < 9 ? end + p.between(-60 * SECOND, 90 * SECOND) : end - p.between(120 * SECOND, 900 * SECOND);
      signals(n, id, join, leave);
      if (live) {
        records(id, join, leave);
      } else {
        course(id, join, leave);
      }
    }

    /** The student's courseware messages from {@code join} to {@code leave}. */
    private void signals(int n, long id, long join, long leave) {
      double meanGap = MIN_GAP_SECONDS + (MAX_GAP_SECONDS - MIN_GAP_SECONDS) * unit(mix(seed, -1L - n));
      for (long t = join + gap(meanGap); t < leave; t += gap(meanGap)) {
        int r = random.nextInt(1000);
        if (r < UNKNOWN_ACTION) {
          String[] u = UNKNOWN_ACTIONS[random.nextInt(UNKNOWN_ACTIONS.length)];
          p.emit(SIGNALS_TOPIC, id, signal(id, 2, 305, 116, msgData(u[0], u[1], u[2], u[3], t), t, 0), t, Kind.IGNORED);
        } else if (r < UNKNOWN_ACTION + OTHER_MSGID) {
          p.emit(SIGNALS_TOPIC, id, otherMessage(id, t), t, Kind.IGNORED);
        } else if (r < UNKNOWN_ACTION + OTHER_MSGID + OTHER_MSGTYPE) {
          JsonText md = new JsonText(JsonText.Spelling.AS_IS, random, 0.2).number("page_index", page(t));
          p.emit(SIGNALS_TOPIC, id, signal(id, 2, 305, 117 + random.nextInt(3), md, t, 0), t, Kind.IGNORED);
        } else {
          String[] kind = signalKind();
          int bad = r < UNKNOWN_ACTION + OTHER_MSGID + OTHER_MSGTYPE + BAD_SIGNAL ? 1 + random.nextInt(3) : 0;
          p.emit(
              SIGNALS_TOPIC,
              id,
              signal(id, 2, 305, 116, msgData(kind[1], kind[2], kind[3], kind[4], t), t, bad),
              t,
              bad == 0 ? Kind.GOOD : Kind.BAD);
        }
      }
    }

    private String[] signalKind() {
      int w = random.nextInt(SIGNAL_WEIGHT);
      for (String[] k : SIGNAL_KINDS) {
        w -= Integer.parseInt(k[5]);
        if (w < 0) {
          return k;
        }
      }
      return SIGNAL_KINDS[0];
    }

    /** The page the lesson is on at {@code t}: a new one every three minutes. */
    private long page(long t) {
      return 1 + Math.max(0, (t - start) / (180 * SECOND));
    }

    private JsonText msgData(String targetPrefix, String targetType, String action, String subAction, long t) {
      JsonText md = new JsonText(JsonText.Spelling.AS_IS, random, 0.2);
      md.text("target_id", targetPrefix.endsWith("-") ? targetPrefix + (1 + random.nextInt(12)) : targetPrefix);
      md.text("target_type", targetType);
      md.text("action", action);
      if (!subAction.isEmpty() || random.nextBoolean()) {
        md.text("sub_action", subAction); // an empty sub_action is sometimes left out
      }
      md.number("page_index", page(t));
      return md;
    }

    /**
     * A {@code timeline_client_topic} message; {@code bad} 1 cuts it (not JSON), 2 leaves out
     * {@code data.timestamp}, 3 gives an unusable one.
     */
    private String signal(long id, int role, long msgid, long msgtype, JsonText msgData, long t, int bad) {
      JsonText.Spelling spelling = JsonText.spelling(random);
      JsonText msg = new JsonText(spelling, random, 0.2).number("msgtype", msgtype).object("msg_data", msgData, random.nextInt(20) == 0);
      JsonText data = new JsonText(spelling, random, 0.2, 224);
      if (random.nextInt(4) == 0) {
        data.number("userid", id);
      } else {
        data.text("userid", Long.toString(id));
      }
      data.text("roomId", roomId);
      if (bad == 3) {
        data.text("timestamp", UNUSABLE_TIMES[random.nextInt(UNUSABLE_TIMES.length)]);
      } else if (bad != 2) {
        data.number("timestamp", t);
      }
      data.number("role", role).number("msgid", msgid).object("msg", msg, random.nextInt(10) == 0);
      String json =
          new JsonText(spelling, random, 0.3, 320)
              .number("createTime", t + random.nextInt(30))
              .object("data", data, random.nextInt(10) == 0)
              .end();
      return bad == 1 ? cut(json) : json;
    }

    /** A message of another kind than a classroom signal: a chat line or a heartbeat. */
    private String otherMessage(long id, long t) {
      JsonText.Spelling spelling = JsonText.spelling(random);
      JsonText data = new JsonText(spelling, random, 0.2).text("userid", Long.toString(id)).text("roomId", roomId);
      if (random.nextBoolean()) {
        JsonText msg = new JsonText(spelling, random, 0.2).number("msgtype", 101).text("content", random.nextBoolean() ? "老师好" : "I see");
        data.number("timestamp", t).number("role", 2).number("msgid", 301).object("msg", msg, random.nextInt(10) == 0);
      } else {
        data.number("role", 2).number("msgid", 302); // a heartbeat: no time, no msg
      }
      return new JsonText(spelling, random, 0.3, 320).number("createTime", t).object("data", data, random.nextInt(10) == 0).end();
    }

    /** The student's {@code agora_record} records from {@code join} to {@code leave}. */
    private void records(long id, long join, long leave) {
      boolean cameraOff = random.nextInt(10) == 0;
      for (long t = join + p.between(0, 5 * SECOND); t < leave; t += p.between(5 * SECOND, 15 * SECOND)) {
        if (random.nextInt(50) == 0) {
          t += p.between(30 * SECOND, 120 * SECOND); // the network was gone for a while
          if (t >= leave) {
            break;
          }
        }
        long fr = cameraOff || random.nextInt(20) == 0 ? -1 : random.nextInt(8) == 0 ? random.nextInt(10) : 12 + random.nextInt(19);
        long lost = random.nextInt(10) == 0 ? -1 : random.nextInt(6) == 0 ? 1 + random.nextInt(20) : 0;
        int bad = random.nextInt(1000) < BAD_AV ? 1 + random.nextInt(3) : 0;
        boolean video = random.nextInt(15) != 0; // an audio-only client sends no video state
        Kind kind = bad != 0 ? Kind.BAD : (fr < 0 || !video) && lost < 0 ? Kind.IGNORED : Kind.GOOD;
        p.emit(AV_TOPIC, id, av(id, "student", t, video, fr, lost, bad), t, kind);
      }
    }

    /**
     * An {@code agora_record} record; key fields are sometimes missing (the job reads {@code -1});
     * {@code bad} as for {@link #signal}.
     */
    private String av(long id, String userType, long t, boolean withVideo, long fr, long lost, int bad) {
      JsonText.Spelling spelling = JsonText.spelling(random);
      JsonText o = new JsonText(spelling, random, 0.2, 288);
      if (random.nextInt(100) != 0) {
        o.text("classroom_id", classroomId);
      }
      o.text("user_type", random.nextInt(20) == 0 ? userType.toUpperCase(java.util.Locale.ROOT) : userType);
      o.number("user_id", id);
      if (random.nextInt(33) != 0) {
        o.number("agora_channel_id", channelId);
      }
      o.text("event", "EVENT");
      long uid = id * 10 + 1;
      if (withVideo) {
        JsonText video = new JsonText(JsonText.Spelling.AS_IS, random, 0.2).number("fr", fr);
        if (random.nextInt(50) != 0) {
          video.number("uid", uid);
        }
        o.object("agora_videoState", video, random.nextInt(10) == 0);
      }
      JsonText audio = new JsonText(JsonText.Spelling.AS_IS, random, 0.2).number("lost", lost);
      if (random.nextInt(50) != 0) {
        audio.number("uid", uid);
      }
      o.object("agora_audioState", audio, random.nextInt(10) == 0);
      if (bad == 3) {
        o.text("messageCreateTime", UNUSABLE_TIMES[random.nextInt(UNUSABLE_TIMES.length)]);
      } else if (bad != 2) {
        o.number("messageCreateTime", t);
      }
      String json = o.end();
      return bad == 1 ? cut(json) : json;
    }

    /**
     * The student's {@code qos_log} events of a recorded course: entering, then for each page a PPT
     * play and its {@code PPT_SUCCESS}; a few students' clients report only a success.
     */
    private void course(long id, long join, long leave) {
      boolean onlySuccess = random.nextInt(100) < 3;
      long t = join;
      if (!onlySuccess) {
        qos(id, "ENTER_CLASSROOM", t, page(t));
      }
      t += p.between(200, 1500);
      while (t < leave) {
        long index = page(t);
        if (!onlySuccess) {
          qos(id, "PPT_PLAY", t, index);
        }
        if (random.nextInt(8) == 0) {
          qos(id, "VIDEO_BUFFER", t + p.between(100, 900), index);
        }
        long success = t + p.between(500, 8 * SECOND);
        if (success < leave) {
          qos(id, random.nextInt(30) == 0 ? "ppt_success" : "PPT_SUCCESS", success, index);
        }
        if (onlySuccess) {
          break;
        }
        t = start + index * 180 * SECOND + p.between(0, 20 * SECOND); // the next page
      }
    }

    private void qos(long id, String subEvent, long t, long pptIndex) {
      int bad = random.nextInt(1000) < BAD_QOS ? 1 + random.nextInt(3) : 0;
      JsonText.Spelling spelling = JsonText.spelling(random);
      JsonText o = new JsonText(spelling, random, 0.2, 288).text("classroom_id", classroomId).text("user_type", "student");
      o.number("user_id", id);
      long eventTime = t - p.between(0, 300);
      if (random.nextInt(4) == 0) {
        o.number("event_time", eventTime);
      } else {
        o.text("event_time", EventTimes.dateTime(eventTime, zone));
      }
      o.text("sub_event", subEvent);
      JsonText extra = new JsonText(spelling, random, 0.2);
      if (bad == 3) {
        extra.text("data_time", UNUSABLE_TIMES[random.nextInt(UNUSABLE_TIMES.length)]);
      } else if (bad != 2) {
        extra.number("data_time", t);
      }
      extra.object("msg", new JsonText(spelling, random, 0.5).number("pptIndex", pptIndex), random.nextInt(10) == 0);
      o.object("extra", extra, random.nextInt(10) == 0);
      String json = o.end();
      p.emit(QOS_TOPIC, id, bad == 1 ? cut(json) : json, t, bad == 0 ? Kind.GOOD : Kind.BAD);
    }

    /** An exponential gap of mean {@code meanSeconds}, at least 100 ms. */
    private long gap(double meanSeconds) {
      return Math.max(100, (long) (-Math.log(1 - random.nextDouble()) * meanSeconds * SECOND));
    }

    /** The text cut short: never a JSON object. */
    private String cut(String json) {
      return json.substring(0, 1 + random.nextInt(json.length() - 2));
    }
  }

  /** A 64-bit mix of two numbers (SplitMix64's finalizer over their combination). */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** {@code bits} as a number in [0, 1). */
  private static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }

  /** Builds a {@link ClassroomGenerator}; every part has a default. */
  public static final class Builder {
    private long seed = 1;
    private int students = 200;
    private int rooms;
    private int days = 1;
    private LocalDate startDate = DEFAULT_START;
    private ZoneId zone = ZoneId.of(DEFAULT_ZONE);
    private long signals;
    private boolean accounts;

    private Builder() {}

    /**
     * Whether the messages include the account and order topics ({@link #ACCOUNT_TOPICS}) besides
     * the classroom ones (default false: the classroom topics only, as the dump writer and the
     * replay expect them).
     */
    public Builder accounts(boolean v) {
      accounts = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Number of students (default 200); ignored when {@link #signals} is given. */
    public Builder students(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("students: must be at least 1, not " + v);
      }
      students = v;
      return this;
    }

    /** Number of rooms; 0 (the default) gives one per {@value #STUDENTS_PER_ROOM} students. */
    public Builder rooms(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("rooms: must be at least 0, not " + v);
      }
      rooms = v;
      return this;
    }

    /** Number of consecutive days from the start date (default 1). */
    public Builder days(int v) {
      if (v < 1 || v > 366) {
        throw new IllegalArgumentException("days: must be from 1 to 366, not " + v);
      }
      days = v;
      return this;
    }

    public Builder startDate(LocalDate v) {
      startDate = Objects.requireNonNull(v, "startDate");
      return this;
    }

    public Builder zone(ZoneId v) {
      zone = Objects.requireNonNull(v, "zone");
      return this;
    }

    /**
     * Ask for about {@code v} student classroom signals over the days instead of a number of
     * students: the students are chosen to give that many on average; 0 (the default) leaves the
     * students as given.
     */
    public Builder signals(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("signals: must be at least 0, not " + v);
      }
      signals = v;
      return this;
    }

    public ClassroomGenerator build() {
      return new ClassroomGenerator(this);
    }
  }
}
