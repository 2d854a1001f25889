package dev.stallwatch.classroom.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.OrderRow;
import dev.stallwatch.classroom.domain.RegistrationFilter;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.domain.SignalRule;
import dev.stallwatch.classroom.domain.SignalRules;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.generate.ClassroomGenerator.Generated;
import dev.stallwatch.classroom.generate.ClassroomGenerator.Kind;
import dev.stallwatch.classroom.parse.AvParser;
import dev.stallwatch.classroom.parse.LevelParser;
import dev.stallwatch.classroom.parse.RowParser;
import dev.stallwatch.classroom.parse.OrderParser;
import dev.stallwatch.classroom.parse.StudentParser;
import dev.stallwatch.classroom.parse.UserParser;
import dev.stallwatch.classroom.parse.QosParser;
import dev.stallwatch.classroom.parse.SignalParser;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.SignalModel;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.Test;

/** The generated classroom day: deterministic, in due order, and read by the jobs as designed. */
class ClassroomGeneratorTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final LocalDate DAY = LocalDate.of(2024, 3, 19);
  /** One day of 60 students in 3 rooms, made once: the tests only read it. */
  private static final Map<String, List<Generated>> DAY_60 = ClassroomGenerator.day(42, 60, 3, DAY).byTopic();

  private static List<Message> messages(String topic) {
    List<Message> out = new ArrayList<>();
    List<Generated> generated = DAY_60.get(topic);
    for (int i = 0; i < generated.size(); i++) {
      out.add(generated.get(i).message(topic + "-0@" + i));
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameMessagesAndAnotherSeedOthers() {
    List<Generated> a = ClassroomGenerator.day(7, 20, 2, DAY).all();
    List<Generated> b = ClassroomGenerator.day(7, 20, 2, DAY).all();
    List<Generated> c = ClassroomGenerator.day(8, 20, 2, DAY).all();
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertFalse(a.isEmpty());
  }

  @Test
  void everyTopicIsInDueOrderAndTheDelaysAreAsDesigned() {
    long late = 0;
    long outOfOrder = 0;
    long duplicates = 0;
    long all = 0;
    for (String topic : ClassroomGenerator.TOPICS) {
      List<Generated> g = DAY_60.get(topic);
      assertFalse(g.isEmpty(), topic);
      long latestEvent = Long.MIN_VALUE;
      for (int i = 0; i < g.size(); i++) {
        Generated m = g.get(i);
        assertEquals(topic, m.topic());
        assertTrue(i == 0 || g.get(i - 1).dueMillis() <= m.dueMillis(), topic + " out of due order at " + i);
        assertTrue(m.dueMillis() >= m.eventMillis(), "sent before its event: " + m);
        assertEquals(Long.toString(Long.parseLong(m.key())), m.key(), "the key is a user id");
        if (m.dueMillis() - m.eventMillis() >= 60_000) {
          late++;
        }
        if (m.eventMillis() < latestEvent - 1000) { // behind by more than producers' usual jitter
          outOfOrder++;
        }
        latestEvent = Math.max(latestEvent, m.eventMillis());
        duplicates += m.duplicate() ? 1 : 0;
        all++;
      }
    }
    assertTrue(late > 0 && late < all * 0.02, late + " late of " + all);
    assertTrue(outOfOrder > all * 0.02 && outOfOrder < all * 0.15, outOfOrder + " out of order of " + all);
    assertTrue(duplicates > 0 && duplicates < all * 0.03, duplicates + " duplicates of " + all);
    // a duplicate is the same message sent again
    Generated dup = DAY_60.get(ClassroomGenerator.SIGNALS_TOPIC).stream().filter(Generated::duplicate).findFirst().orElseThrow();
    assertEquals(2, DAY_60.get(ClassroomGenerator.SIGNALS_TOPIC).stream().filter(m -> m.json().equals(dup.json())).count());
  }

  @Test
  void theDayIsASchoolDayInTheZone() {
    for (Generated m : DAY_60.get(ClassroomGenerator.SIGNALS_TOPIC)) {
      int hour = java.time.Instant.ofEpochMilli(m.eventMillis()).atZone(ZONE).getHour();
      assertTrue(hour >= 7 && hour <= 16, "at " + hour);
      assertEquals(DAY, java.time.Instant.ofEpochMilli(m.eventMillis()).atZone(ZONE).toLocalDate());
    }
  }

  @Test
  void c1ReadsEveryTimelineMessageAsDesignedAndEveryRuleOccurs() {
    SignalParser parser = new SignalParser(SignalRules.defaults(), ZONE);
    List<Generated> generated = DAY_60.get(ClassroomGenerator.SIGNALS_TOPIC);
    List<Message> messages = messages(ClassroomGenerator.SIGNALS_TOPIC);
    Set<String> events = new TreeSet<>();
    Set<String> ignoredWhy = new TreeSet<>();
    Set<String> deadWhy = new TreeSet<>();
    long signals = 0;
    long ignored = 0;
    long bad = 0;
    for (int i = 0; i < messages.size(); i++) {
      Generated g = generated.get(i);
      SignalParser.Outcome o = parser.parse(messages.get(i));
      if (o instanceof SignalParser.Parsed p) {
        assertEquals(Kind.GOOD, g.kind(), g.json());
        assertEquals(g.eventMillis(), p.signal().timeStamp());
        assertEquals(g.key(), p.signal().key());
        assertEquals(g.key(), p.signal().userId());
        events.add(p.signal().event());
        signals++;
      } else if (o instanceof SignalParser.Ignored ig) {
        assertEquals(Kind.IGNORED, g.kind(), g.json());
        ignoredWhy.add(ig.why().replaceAll("[0-9]+", "N"));
        ignored++;
      } else {
        assertEquals(Kind.BAD, g.kind(), g.json() + " -> " + ((SignalParser.Dead) o).reason());
        deadWhy.add(((SignalParser.Dead) o).reason().replaceAll(":.*", ""));
        bad++;
      }
    }
    Set<String> rules = SignalRules.defaults().rules().stream().map(SignalRule::event).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(rules, events);
    assertEquals(Set.of("msgid N", "msgtype N", "no rule matches", "role N"), ignoredWhy);
    assertTrue(deadWhy.contains("data.timestamp") && deadWhy.contains("not JSON"), deadWhy.toString());
    long all = messages.size();
    assertTrue(signals > all * 0.7, signals + " of " + all);
    assertTrue(ignored > all * 0.1 && ignored < all * 0.3, ignored + " of " + all);
    assertTrue(bad > 0 && bad < all * 0.05, bad + " of " + all);
    // the variations the common rules allow are all there
    String joined = generated.stream().map(Generated::json).collect(Collectors.joining("\n"));
    assertTrue(joined.contains("\"data\":\"{"), "data as a string");
    assertTrue(joined.contains("\"msg\":\"{"), "msg as a string");
    assertTrue(joined.contains("\"DATA\":") && joined.contains("\"Data\":"), "names in other cases");
    assertTrue(joined.contains("\"msgid\":\"305\""), "numbers as text");
  }

  @Test
  void c4ReadsEveryQosEventAsDesigned() {
    QosParser parser = new QosParser(ZONE);
    List<Generated> generated = DAY_60.get(ClassroomGenerator.QOS_TOPIC);
    List<Message> messages = messages(ClassroomGenerator.QOS_TOPIC);
    long bad = 0;
    long successes = 0;
    for (int i = 0; i < messages.size(); i++) {
      QosParser.Parsed p = parser.parse(messages.get(i));
      assertEquals(generated.get(i).kind() == Kind.GOOD, p.ok(), generated.get(i).json() + " -> " + p.reason());
      if (p.ok()) {
        assertEquals(generated.get(i).eventMillis(), p.event().dataTime());
        successes += p.event().isSuccess() ? 1 : 0;
      } else {
        bad++;
      }
    }
    assertTrue(successes > messages.size() * 0.2, successes + " successes");
    assertTrue(bad > 0 && bad < messages.size() * 0.05, bad + " of " + messages.size());
  }

  @Test
  void c5ReadsEveryAgoraRecordAsDesigned() {
    AvParser parser = new AvParser(ZONE);
    List<Generated> generated = DAY_60.get(ClassroomGenerator.AV_TOPIC);
    List<Message> messages = messages(ClassroomGenerator.AV_TOPIC);
    long bad = 0;
    long ignored = 0;
    long missingKeys = 0;
    for (int i = 0; i < messages.size(); i++) {
      Generated g = generated.get(i);
      AvParser.Parsed p = parser.parse(messages.get(i));
      Kind read = p.isBad() ? Kind.BAD : p.isIgnored() ? Kind.IGNORED : Kind.GOOD;
      assertEquals(g.kind(), read, g.json() + " -> " + p.bad() + p.ignored());
      bad += p.isBad() ? 1 : 0;
      ignored += p.isIgnored() ? 1 : 0;
      if (!p.samples().isEmpty()) {
        assertEquals(g.eventMillis(), p.timeMillis());
        missingKeys += p.samples().stream().filter(s -> s.key().toString().contains("-1")).count();
      }
    }
    assertTrue(bad > 0 && bad < messages.size() * 0.05, bad + " of " + messages.size());
    assertTrue(ignored > 0 && ignored < messages.size() * 0.3, ignored + " of " + messages.size());
    assertTrue(missingKeys > 0, "some key fields are missing");
  }

  @Test
  void theModelsGiveRowsForEveryTable() {
    List<SignalModel.Arrival> arrivals = new ArrayList<>();
    long never = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis(); // in a batch every message is on time
    messages(ClassroomGenerator.SIGNALS_TOPIC).forEach(m -> arrivals.add(new SignalModel.Arrival(m, never)));
    SignalModel.Result signals = SignalModel.of(SignalsConfig.defaults()).run(arrivals);
    assertFalse(signals.signals.isEmpty());
    assertFalse(signals.rows.isEmpty());
    assertEquals(0, signals.late);
    assertTrue(signals.rows.stream().anyMatch(r -> r.eventCount() > 1));

    CourseModel.Result course = CourseModel.of(QualityConfig.defaults()).run(stamped(ClassroomGenerator.QOS_TOPIC));
    assertFalse(course.rows.isEmpty());
    assertTrue(course.unmatched > 0, "some successes have no earlier event");
    assertTrue(course.rows.stream().allMatch(r -> r.spendMillis() > 0));

    AvModel.Result av = AvModel.of(QualityConfig.defaults()).run(stamped(ClassroomGenerator.AV_TOPIC));
    assertFalse(av.rows.isEmpty());
    Set<String> avEvents = av.rows.stream().map(r -> r.key().event()).collect(Collectors.toSet());
    assertEquals(Set.of("EVENT_AUDIO_STATE", "EVENT_VIDEO_STATE"), avEvents);
  }

  private static List<TimestampedValue<Message>> stamped(String topic) {
    List<TimestampedValue<Message>> out = new ArrayList<>();
    messages(topic).forEach(m -> out.add(TimestampedValue.of(m, BoundedWindow.TIMESTAMP_MIN_VALUE)));
    return out;
  }

  @Test
  void askingForSignalsGivesAboutThatMany() {
    ClassroomGenerator g = ClassroomGenerator.aboutSignals(3, 50_000, 1);
    long signals = 0;
    for (Generated m : g) {
      if (m.topic().equals(ClassroomGenerator.SIGNALS_TOPIC) && m.kind() == Kind.GOOD) {
        signals++;
      }
    }
    assertTrue(Math.abs(signals - 50_000) < 5_000, signals + " signals, " + g.students() + " students");
    assertEquals((g.students() + 29) / 30, g.rooms());
  }

  @Test
  void severalDaysFollowEachOtherAndTheIteratorLetsGo() {
    ClassroomGenerator g = ClassroomGenerator.builder().seed(5).students(10).rooms(2).days(3).build();
    Iterator<Generated> it = g.iterator();
    long last = Long.MIN_VALUE;
    Set<LocalDate> dates = new TreeSet<>();
    while (it.hasNext()) {
      Generated m = it.next();
      assertTrue(m.dueMillis() >= last);
      last = m.dueMillis();
      dates.add(java.time.Instant.ofEpochMilli(m.eventMillis()).atZone(ZONE).toLocalDate());
    }
    assertEquals(Set.of(DAY, DAY.plusDays(1), DAY.plusDays(2)), dates);
  }

  @Test
  void theThreeClassroomTopicsAreAsTheyWereForASeed() throws Exception {
    // conformance dumps depend on these bytes: the digest was taken before the account topics came
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    for (Generated g : ClassroomGenerator.builder().seed(9).students(8).days(2).build()) {
      sha.update((g.topic() + "|" + g.dueMillis() + "|" + g.key() + "|" + g.json() + "|" + g.kind() + "|" + g.duplicate() + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals("986328931018c78b02b0bc8fce4c032e2dcf1e32c14ac26308349a979a6be77d", java.util.HexFormat.of().formatHex(sha.digest()));
  }

  // ---------------------------------------------------------------- the account and order topics

  /** The account topics of 300 students over two days, made once: the tests only read them. */
  private static final List<Generated> ACCOUNTS = ClassroomGenerator.builder().seed(42).students(300).days(2).build().accountMessages();

  private static List<Generated> accounts(String topic) {
    return ACCOUNTS.stream().filter(g -> g.topic().equals(topic)).toList();
  }

  /** The messages of {@code topic} as a job reads them, the n-th with offset n. */
  private static List<Message> accountMessages(String topic) {
    List<Generated> generated = accounts(topic);
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < generated.size(); i++) {
      out.add(generated.get(i).message(topic + "/0/" + i));
    }
    return out;
  }

  @Test
  void theAccountTopicsAreAskedForAndLeaveTheClassroomTopicsAsTheyWere() {
    ClassroomGenerator plain = ClassroomGenerator.builder().seed(9).students(8).days(2).build();
    ClassroomGenerator with = ClassroomGenerator.builder().seed(9).students(8).days(2).accounts(true).build();
    assertEquals(ClassroomGenerator.TOPICS, plain.topics());
    assertEquals(List.of(
        "timeline_client_topic", "qos_log", "agora_record", "blink_stg_activity__channel_name_dictionary_da",
        "uc_account-student", "uc_account-user", "data_pack_order_info"), with.topics());
    List<Generated> all = with.all();
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i - 1).dueMillis() <= all.get(i).dueMillis(), "out of due order at " + i);
    }
    assertEquals(plain.all(), all.stream().filter(g -> ClassroomGenerator.TOPICS.contains(g.topic())).toList());
    assertEquals(with.accountMessages(), all.stream().filter(g -> ClassroomGenerator.ACCOUNT_TOPICS.contains(g.topic())).toList());
    assertEquals(with.topics(), List.copyOf(with.byTopic().keySet()));
    assertTrue(plain.all().stream().noneMatch(g -> ClassroomGenerator.ACCOUNT_TOPICS.contains(g.topic())));
    // deterministic by seed
    assertEquals(with.accountMessages(), ClassroomGenerator.builder().seed(9).students(8).days(2).build().accountMessages());
    assertNotEquals(with.accountMessages(), ClassroomGenerator.builder().seed(10).students(8).days(2).build().accountMessages());
  }

  @Test
  void everyAccountMessageIsReadAsDesigned() {
    LevelParser levels = new LevelParser(ZONE);
    StudentParser students = new StudentParser(ZONE);
    UserParser users = new UserParser(ZONE);
    OrderParser orders = new OrderParser(ZONE);
    for (String topic : ClassroomGenerator.ACCOUNT_TOPICS) {
      List<Generated> generated = accounts(topic);
      List<Message> messages = accountMessages(topic);
      long bad = 0;
      for (int i = 0; i < generated.size(); i++) {
        Generated g = generated.get(i);
        assertTrue(i == 0 || generated.get(i - 1).dueMillis() <= g.dueMillis(), topic + " out of due order at " + i);
        assertTrue(g.dueMillis() >= g.eventMillis(), "sent before its event: " + g);
        String reason;
        String id = null;
        Long time = null;
        switch (topic) {
          case ClassroomGenerator.LEVELS_TOPIC -> {
            RowParser.Parsed<LevelEntry> p = levels.parse(messages.get(i));
            reason = p.reason();
            if (p.ok()) {
              id = p.row().id();
              time = p.row().updateTime();
            }
          }
          case ClassroomGenerator.STUDENTS_TOPIC -> {
            RowParser.Parsed<StudentRow> p = students.parse(messages.get(i));
            reason = p.reason();
            if (p.ok()) {
              id = p.row().id();
              time = p.row().updateTime();
            }
          }
          case ClassroomGenerator.USERS_TOPIC -> {
            RowParser.Parsed<UserRow> p = users.parse(messages.get(i));
            reason = p.reason();
            if (p.ok()) {
              id = p.row().id();
              assertTrue(p.row().registerTime() <= g.eventMillis(), g.json());
              assertEquals(null, p.row().updateTime(), "the contract's user rows have no update_time");
            }
          }
          default -> {
            RowParser.Parsed<OrderRow> p = orders.parse(messages.get(i));
            reason = p.reason();
            if (p.ok()) {
              id = p.row().id();
              time = p.row().updateTime();
            }
          }
        }
        assertEquals(g.kind() == Kind.GOOD, reason == null, g.json() + " -> " + reason);
        assertTrue(g.kind() != Kind.IGNORED);
        if (reason == null) {
          assertEquals(g.key(), id, "the record key is the row's id");
          assertEquals(Long.valueOf(messages.get(i).origin().substring(topic.length() + 3)), arrivalOf(messages.get(i)));
          if (time != null) {
            assertEquals(g.eventMillis(), time.longValue(), g.json());
          }
        } else {
          bad++;
        }
      }
      if (topic.equals(ClassroomGenerator.LEVELS_TOPIC)) {
        assertEquals(3, bad, "three bad dictionary messages in two days");
      } else {
        assertTrue(bad >= 3 && bad < generated.size() * 0.05, topic + ": " + bad + " bad of " + generated.size());
      }
    }
  }

  private static long arrivalOf(Message m) {
    return dev.stallwatch.classroom.parse.Arrival.of(m.origin());
  }

  /** The good rows of a topic in due (arrival) order, parsed by {@code parse}. */
  private static <T> List<T> rows(String topic, java.util.function.Function<Message, T> parse) {
    List<T> out = new ArrayList<>();
    for (Message m : accountMessages(topic)) {
      T row = parse.apply(m);
      if (row != null) {
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void theDictionaryHasEveryBucketReUpdatesAndAnOvertakenUpdate() {
    LevelParser parser = new LevelParser(ZONE);
    List<LevelEntry> rows = rows(ClassroomGenerator.LEVELS_TOPIC, m -> parser.parse(m).row());
    Map<String, List<LevelEntry>> byId = rows.stream().collect(Collectors.groupingBy(LevelEntry::id));
    assertEquals(12, byId.size(), byId.keySet().toString());
    Set<String> firstBuckets = byId.values().stream().map(l -> l.get(0).bucket()).collect(Collectors.toSet());
    assertEquals(Set.of("A", "B", "C", "D", "other"), firstBuckets);
    Set<String> rawLevels = byId.values().stream().map(l -> String.valueOf(l.get(0).level())).collect(Collectors.toSet());
    assertTrue(rawLevels.containsAll(Set.of("b", "c", "E", "A+", "null")), rawLevels.toString());
    assertTrue(byId.values().stream().anyMatch(l -> l.stream().map(LevelEntry::bucket).distinct().count() > 1), "a level changes");
    long overtaken = 0;
    for (List<LevelEntry> l : byId.values()) {
      for (int i = 1; i < l.size(); i++) {
        LevelEntry newestSoFar = l.subList(0, i).stream().reduce(LevelEntry::latest).orElseThrow();
        if (l.get(i).updateTime() < newestSoFar.updateTime() && !l.get(i).level().equals(newestSoFar.level())) {
          overtaken++;
        }
      }
    }
    assertTrue(overtaken >= 2, overtaken + " older updates arrive after newer ones (one a day)");
  }

  @Test
  void studentsChangeChannelsToOtherLevelsAndSomeOlderRowsArriveLate() {
    LevelParser levels = new LevelParser(ZONE);
    Map<String, String> bucketOf = new java.util.HashMap<>();
    for (LevelEntry e : rows(ClassroomGenerator.LEVELS_TOPIC, m -> levels.parse(m).row())) {
      bucketOf.put(e.id(), e.bucket()); // the first day's levels are enough to see a change of level
    }
    StudentParser parser = new StudentParser(ZONE);
    List<StudentRow> rows = rows(ClassroomGenerator.STUDENTS_TOPIC, m -> parser.parse(m).row());
    Map<String, List<StudentRow>> byId = rows.stream().collect(Collectors.groupingBy(StudentRow::id));
    assertEquals(300, byId.size());
    long acrossLevels = 0;
    long late = 0;
    for (List<StudentRow> l : byId.values()) {
      Set<String> buckets =
          l.stream().map(r -> r.channelId() == null ? "other" : bucketOf.getOrDefault(r.channelId(), "other")).collect(Collectors.toSet());
      acrossLevels += buckets.size() > 1 ? 1 : 0;
      for (int i = 1; i < l.size(); i++) {
        late += l.get(i).updateTime() < l.get(i - 1).updateTime() ? 1 : 0;
      }
    }
    assertTrue(acrossLevels >= 10, acrossLevels + " students change level");
    assertTrue(late >= 3, late + " older rows arrive late");
    assertTrue(rows.stream().anyMatch(r -> r.channelId() == null), "a student without channel");
    assertTrue(rows.stream().anyMatch(r -> r.channelId() != null && !bucketOf.containsKey(r.channelId())), "a channel the dictionary lacks");
  }

  @Test
  void usersFlipStatusBothWaysAndTestAccountsAreThere() {
    UserParser parser = new UserParser(ZONE);
    List<UserRow> rows = rows(ClassroomGenerator.USERS_TOPIC, m -> parser.parse(m).row());
    Map<String, List<UserRow>> byId = rows.stream().collect(Collectors.groupingBy(UserRow::id));
    assertEquals(300, byId.size());
    long toOther = 0;
    long toNormal = 0;
    long resent = 0;
    for (List<UserRow> l : byId.values()) {
      for (int i = 1; i < l.size(); i++) {
        boolean was = "NORMAL".equals(l.get(i - 1).status());
        boolean is = "NORMAL".equals(l.get(i).status());
        toOther += was && !is ? 1 : 0;
        toNormal += !was && is ? 1 : 0;
        resent += l.get(i).status().equals(l.get(i - 1).status()) ? 1 : 0;
      }
    }
    assertTrue(toOther >= 3 && toNormal >= 3, toOther + " flips away from NORMAL, " + toNormal + " back");
    assertTrue(resent >= 3, resent + " rows sent again");
    RegistrationFilter filter = RegistrationFilter.defaults();
    List<String> testNames =
        rows.stream().filter(u -> "NORMAL".equals(u.status()) && !filter.counts(u)).map(UserRow::name).distinct().toList();
    assertTrue(testNames.stream().anyMatch(n -> n.contains("测试")), testNames.toString());
    assertTrue(testNames.stream().anyMatch(n -> n.startsWith("Test") || n.startsWith("TEST")), testNames.toString());
    assertTrue(testNames.stream().anyMatch(n -> n.startsWith("DM__")), testNames.toString());
    long counted = byId.values().stream().filter(l -> filter.counts(l.get(l.size() - 1))).count();
    assertTrue(counted > 240 && counted < 300, counted + " of 300 count");
  }

  @Test
  void ordersAreConfirmedCancelledConfirmedAgainAndSomeRowsArriveLate() {
    OrderParser parser = new OrderParser(ZONE);
    List<OrderRow> rows = rows(ClassroomGenerator.ORDERS_TOPIC, m -> parser.parse(m).row());
    Map<String, List<OrderRow>> byId = rows.stream().collect(Collectors.groupingBy(OrderRow::id));
    assertTrue(byId.size() > 70 && byId.size() < 150, byId.size() + " orders of 300 students");
    long again = 0;
    long cancelled = 0;
    long late = 0;
    long counted = 0;
    long unassigned = 0;
    for (List<OrderRow> l : byId.values()) {
      List<OrderRow> byTime = l.stream().sorted(OrderRow::compare).toList();
      List<String> runs = new ArrayList<>();
      for (OrderRow r : byTime) {
        String s = r.status() == 3 ? "3" : "x";
        if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(s)) {
          runs.add(s);
        }
      }
      String path = String.join("", runs);
      again += path.contains("3x3") ? 1 : 0;
      OrderRow latest = l.stream().reduce(OrderRow::latest).orElseThrow();
      cancelled += path.contains("3x") && latest.status() != 3 ? 1 : 0;
      counted += latest.counts() ? 1 : 0;
      unassigned += latest.status() == 3 && latest.confirmTime() != null && latest.ccId() == null ? 1 : 0;
      for (int i = 1; i < l.size(); i++) {
        late += l.get(i).updateTime() < l.get(i - 1).updateTime() ? 1 : 0;
      }
    }
    assertTrue(again >= 1, again + " confirmed again");
    assertTrue(cancelled >= 3, cancelled + " cancelled for good");
    assertTrue(late >= 2, late + " older rows arrive late");
    assertTrue(counted > byId.size() / 2, counted + " of " + byId.size() + " count");
    assertTrue(rows.stream().anyMatch(r -> r.canceledTime() != null), "a cancellation time");
    assertTrue(unassigned + rows.stream().filter(r -> r.ccId() == null).count() > 0, "an order without consultant");
    Set<Integer> statuses = rows.stream().map(OrderRow::status).collect(Collectors.toSet());
    assertEquals(Set.of(1, 3, 4, 5), statuses);
  }
}
