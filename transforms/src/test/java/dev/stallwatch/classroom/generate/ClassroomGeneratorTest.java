package dev.stallwatch.classroom.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.domain.SignalRule;
import dev.stallwatch.classroom.domain.SignalRules;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.classroom.generate.ClassroomGenerator.Generated;
import dev.stallwatch.classroom.generate.ClassroomGenerator.Kind;
import dev.stallwatch.classroom.parse.AvParser;
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
}
